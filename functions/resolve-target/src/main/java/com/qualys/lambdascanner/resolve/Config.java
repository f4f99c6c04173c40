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
 * @param defaultRegion the region of a direct request that names none (the function's own region)
 */
public record Config(
    String resultsBucket,
    String excludeTagKey,
    Pattern excludeNamePattern,
    Duration dedupTtl,
    String defaultRegion) {

  static final String DEFAULT_EXCLUDE_TAG_KEY = "QualysScan";
  static final int DEFAULT_DEDUP_TTL_SECONDS = 3600;

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
    return new Config(
        env.required("RESULTS_BUCKET"),
        env.optional("EXCLUDE_TAG_KEY", DEFAULT_EXCLUDE_TAG_KEY),
        excludeNamePattern,
        Duration.ofSeconds(ttl),
        // Lambda always sets AWS_REGION; the fallback serves local runs.
        env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null)));
  }
}
