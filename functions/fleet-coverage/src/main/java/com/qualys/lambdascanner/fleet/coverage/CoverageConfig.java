package com.qualys.lambdascanner.fleet.coverage;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Build Coverage's settings, read once from the environment.
 *
 * @param resultsBucket the bucket of the inventory, the map's results, the latest records and the coverage files
 * @param topicArn the findings topic: one message per fleet run
 * @param rescanAfter {@code RESCAN_AFTER} (ISO-8601, as Resolve Target reads it): a last scan older than this is
 *     {@code STALE}
 */
public record CoverageConfig(String resultsBucket, String topicArn, Duration rescanAfter) {

  public static CoverageConfig from(Env env) {
    Duration rescanAfter;
    try {
      rescanAfter = Duration.parse(env.optional("RESCAN_AFTER", "P7D"));
    } catch (DateTimeParseException e) {
      throw new TerminalException("environment variable RESCAN_AFTER is not an ISO-8601 duration (e.g. P7D)");
    }
    if (rescanAfter.isNegative() || rescanAfter.isZero()) {
      throw new TerminalException("environment variable RESCAN_AFTER must be positive");
    }
    return new CoverageConfig(env.required("RESULTS_BUCKET"), env.required("TOPIC_ARN"), rescanAfter);
  }
}
