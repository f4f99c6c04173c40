package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
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
 */
public record Config(
    String resultsBucket,
    String excludeTagKey,
    Pattern excludeNamePattern,
    Duration dedupTtl,
    String defaultRegion,
    String spokeRoleName,
    String spokeExternalId) {

  static final String DEFAULT_EXCLUDE_TAG_KEY = "QualysScan";
  static final int DEFAULT_DEDUP_TTL_SECONDS = 3600;

  /** IAM's rule for a role name (no path: the spoke role is created without one). */
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

  /** STS's rule for an external id. */
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  /** Single-account mode: no spoke role. */
  public Config(
      String resultsBucket, String excludeTagKey, Pattern excludeNamePattern, Duration dedupTtl, String defaultRegion) {
    this(resultsBucket, excludeTagKey, excludeNamePattern, dedupTtl, defaultRegion, null, null);
  }

  /** Whether targets outside this account and region are read through the spoke role. */
  public boolean hubMode() {
    return spokeRoleName != null;
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
    // Both are empty in single-account mode (the template sets them only with DeploymentMode=hub).
    String spokeRoleName = env.optional("SPOKE_ROLE_NAME", null);
    String spokeExternalId = null;
    if (spokeRoleName != null) {
      if (!ROLE_NAME.matcher(spokeRoleName).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_ROLE_NAME is not an IAM role name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -)");
      }
      spokeExternalId = env.optional("SPOKE_EXTERNAL_ID", null);
      // The spoke role's trust policy always requires the external id: without it every AssumeRole is denied.
      // The value is not echoed: it is configuration, but it should stay unguessable.
      if (spokeExternalId == null) {
        throw new TerminalException("environment variable SPOKE_EXTERNAL_ID is required when SPOKE_ROLE_NAME is set");
      }
      if (!EXTERNAL_ID.matcher(spokeExternalId).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_EXTERNAL_ID is not a valid external id (2 to 1224 of A-Z a-z 0-9 + = , . @ : / _ -)");
      }
    }
    return new Config(
        env.required("RESULTS_BUCKET"),
        env.optional("EXCLUDE_TAG_KEY", DEFAULT_EXCLUDE_TAG_KEY),
        excludeNamePattern,
        Duration.ofSeconds(ttl),
        // Lambda always sets AWS_REGION; the fallback serves local runs.
        env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null)),
        spokeRoleName,
        spokeExternalId);
  }
}
