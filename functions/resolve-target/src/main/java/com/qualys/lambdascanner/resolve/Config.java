package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolve Target's settings, read once from the environment.
 *
 * @param resultsBucket the bucket whose {@code claims/} prefix holds the dedup claims
 * @param excludeTagKey a function tagged with this key and the value {@code false} is not scanned
 * @param excludeNamePattern function names this pattern finds are not scanned (null: none)
 * @param dedupTtl how long an unfinished claim blocks another scan of the same code
 * @param defaultRegion the function's own region ({@code AWS_REGION}): the region of a direct request that names
 *     none, and the region whose targets are read with the function's own credentials
 * @param spokeRoleName hub mode: the role to assume in a target's account for any target outside this account and
 *     region; null in single-account mode
 * @param spokeExternalId hub mode: the external id the spoke role's trust policy requires; null in single-account
 *     mode
 * @param exclusions the scanner's own functions and the opt-out policy
 * @param rescanAfter freshness: how long a COMPLETED claim blocks another scan of the same code ({@code RESCAN_AFTER},
 *     ISO-8601, {@code P7D} from the RescanAfterDays parameter); after that the code is scanned against today's
 *     vulnerability data
 */
public record Config(
    String resultsBucket,
    String excludeTagKey,
    Pattern excludeNamePattern,
    Duration dedupTtl,
    String defaultRegion,
    String spokeRoleName,
    String spokeExternalId,
    ExclusionPolicy exclusions,
    Duration rescanAfter) {

  static final String DEFAULT_EXCLUDE_TAG_KEY = "QualysScan";
  static final int DEFAULT_DEDUP_TTL_SECONDS = 3600;
  static final Duration DEFAULT_RESCAN_AFTER = Duration.ofDays(7);

  /** Single-account mode: no spoke role. */
  public Config(
      String resultsBucket, String excludeTagKey, Pattern excludeNamePattern, Duration dedupTtl, String defaultRegion) {
    this(resultsBucket, excludeTagKey, excludeNamePattern, dedupTtl, defaultRegion, null, null);
  }

  /** Every opt-out honoured, no own functions known, the default freshness window. */
  public Config(
      String resultsBucket,
      String excludeTagKey,
      Pattern excludeNamePattern,
      Duration dedupTtl,
      String defaultRegion,
      String spokeRoleName,
      String spokeExternalId) {
    this(resultsBucket, excludeTagKey, excludeNamePattern, dedupTtl, defaultRegion, spokeRoleName, spokeExternalId,
        ExclusionPolicy.HONOUR_ALL, DEFAULT_RESCAN_AFTER);
  }

  /** The default freshness window ({@link #DEFAULT_RESCAN_AFTER}). */
  public Config(
      String resultsBucket,
      String excludeTagKey,
      Pattern excludeNamePattern,
      Duration dedupTtl,
      String defaultRegion,
      String spokeRoleName,
      String spokeExternalId,
      ExclusionPolicy exclusions) {
    this(resultsBucket, excludeTagKey, excludeNamePattern, dedupTtl, defaultRegion, spokeRoleName, spokeExternalId,
        exclusions, DEFAULT_RESCAN_AFTER);
  }

  /** Whether targets outside this account and region are read through the spoke role. */
  public boolean hubMode() {
    return spokeRoleName != null;
  }

  /** The spoke settings, validated (SpokeSettings checks them whichever constructor made this config). */
  public SpokeSettings spoke() {
    return new SpokeSettings(spokeRoleName, spokeExternalId);
  }

  public static Config from(Env env) {
    String pattern = env.optional("EXCLUDE_NAME_PATTERN", null);
    Pattern excludeNamePattern;
    try {
      excludeNamePattern = pattern == null ? null : Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new TerminalException("environment variable EXCLUDE_NAME_PATTERN is not a valid Java regular expression");
    }
    int ttl = env.integer("DEDUP_TTL_SECONDS", DEFAULT_DEDUP_TTL_SECONDS);
    if (ttl <= 0) {
      throw new TerminalException("environment variable DEDUP_TTL_SECONDS must be positive");
    }
    Duration rescanAfter;
    try {
      rescanAfter = Duration.parse(env.optional("RESCAN_AFTER", DEFAULT_RESCAN_AFTER.toString()));
    } catch (java.time.format.DateTimeParseException e) {
      throw new TerminalException("environment variable RESCAN_AFTER is not an ISO-8601 duration (e.g. P7D)");
    }
    if (rescanAfter.isNegative() || rescanAfter.isZero()) {
      throw new TerminalException("environment variable RESCAN_AFTER must be positive");
    }
    SpokeSettings spoke = SpokeSettings.from(env);
    // Lambda always sets AWS_REGION; the fallback serves local runs.
    String region = env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null));
    return new Config(
        env.required("RESULTS_BUCKET"),
        env.optional("EXCLUDE_TAG_KEY", DEFAULT_EXCLUDE_TAG_KEY),
        excludeNamePattern,
        Duration.ofSeconds(ttl),
        region,
        spoke.roleName(),
        spoke.externalId(),
        ExclusionPolicy.from(env, region),
        rescanAfter);
  }
}
