package com.qualys.lambdascanner.fleet.coverage;

/**
 * One function in the coverage file.
 *
 * @param functionArn null for an unreachable scope whose functions were never listed (functionName {@code *})
 * @param reason a skip reason ({@code EXCLUDED_BY_TAG}, {@code DUPLICATE}, {@code NOT_FOUND}, ...) or a short code
 * @param error the redacted error of a FAILED or UNREACHABLE entry, one line
 * @param lastScan the function's latest record (not a skip), when there is one
 * @param scannedThisRun whether this fleet run's own execution scanned it
 * @param executionArn this run's scan execution for the function, when known
 */
public record CoverageEntry(
    String functionArn,
    String accountId,
    String region,
    String functionName,
    String packageType,
    CoverageState state,
    String reason,
    String error,
    LastScan lastScan,
    boolean scannedThisRun,
    String executionArn) {

  /**
   * @param status the record's status ({@code SUCCEEDED}, {@code POLICY_DENY}, {@code FAILED}, ...)
   * @param at when it was recorded
   */
  public record LastScan(String scanId, String status, String at, int highestSeverity) {}
}
