package com.qualys.lambdascanner.fleet.coverage;

import java.util.List;

/**
 * The coverage file, {@code coverage/runs/<runId>.json} and {@code coverage/latest.json}: schema
 * docs/coverage.schema.json.
 *
 * @param rescanAfter the freshness window (ISO-8601)
 * @param notes sentences for people: scopes from which no Lambda change event has arrived, a map that stopped
 */
public record CoverageReport(
    String schemaVersion,
    String runId,
    String executionArn,
    String enumeratedAt,
    String generatedAt,
    String rescanAfter,
    CoverageSummary summary,
    List<Scope> scopes,
    List<String> notes,
    List<CoverageEntry> functions) {

  public static final String SCHEMA_VERSION = "1.0";

  /**
   * @param eventsSeen whether any function of the scope has a latest record triggered by a CloudTrail event: false
   *     means no change event has reached the pipeline from there (no trail?)
   */
  public record Scope(String accountId, String region, boolean reachable, int functions, String error, boolean eventsSeen) {}
}
