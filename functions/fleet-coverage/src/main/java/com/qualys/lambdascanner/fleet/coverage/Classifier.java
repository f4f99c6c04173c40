package com.qualys.lambdascanner.fleet.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.fleet.InventoryFunction;
import com.qualys.lambdascanner.common.fleet.OneLine;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * One function's coverage state from what this run's map item returned (the scan execution's decision and record,
 * or the error that ended it) and the function's latest record. Every input here may be malformed: what cannot be
 * read makes the function NOT_SCANNED or FAILED with a reason, never an exception.
 */
final class Classifier {

  /** Full verdicts: what completes a dedup claim. */
  private static final Set<String> COMPLETED = Set.of("SUCCEEDED", "POLICY_DENY", "POLICY_AUDIT");
  /** Scans that ran but gave no full verdict: their claim is released, the next event or run scans again. */
  private static final Set<String> NO_VERDICT = Set.of("PARTIAL", "CODE_CHANGED");
  private static final Set<String> EXCLUSIONS = Set.of("EXCLUDED_BY_TAG", "EXCLUDED_BY_NAME", "SELF");
  private final Duration rescanAfter;
  private final JsonCodec json;

  Classifier(Duration rescanAfter, JsonCodec json) {
    this.rescanAfter = rescanAfter;
    this.json = json;
  }

  /**
   * @param item the map item's output ({@code {functionArn, scan: {...}}} or {@code {functionArn, error: {...}}}),
   *     null when the map returned nothing for the function
   * @param latest the function's {@code latest/} record, null when there is none
   * @param mapError why the map itself stopped, null when it finished
   */
  CoverageEntry classify(InventoryFunction function, JsonNode item, JsonNode latest, Instant now, String mapError) {
    CoverageEntry.LastScan last = lastScan(latest);
    String executionArn = item == null ? null : text(item.path("scan").path("executionArn"));
    if (item == null) {
      return entry(function, CoverageState.NOT_SCANNED, "NO_RESULT",
          mapError == null ? "the fleet map returned no result for this function" : mapError, last, false, null);
    }
    if (item.path("error").isObject()) {
      JsonNode described = described(item.path("error"));
      String childArn = described == null ? null : field(described, "executionArn");
      String error = failure(item.path("error"), described);
      // The failed scan's own record says what went wrong (Record Failure / Record Timeout stored it).
      if (childArn != null && latest != null && childArn.equals(text(latest.path("executionArn")))
          && text(latest.path("reason")) != null) {
        error = OneLine.of(text(latest.path("status")) + ": " + text(latest.path("reason")) + " (" + error + ")");
      }
      return entry(function, CoverageState.FAILED, "SCAN_EXECUTION_FAILED", error, last, false, childArn);
    }
    String status = text(item.path("scan").path("record").path("status"));
    String skipReason = text(item.path("scan").path("decision").path("reason"));
    if (status != null && COMPLETED.contains(status) && unmapped(latest, executionArn)) {
      // A DENY or AUDIT whose report was not understood: its claim is released, so not a full verdict either.
      return entry(function, CoverageState.STALE, "FINDINGS_UNMAPPED", OneLine.of(text(latest.path("reason"))),
          last, false, executionArn);
    }
    if (status != null && COMPLETED.contains(status)) {
      return entry(function, CoverageState.SCANNED, null, null, last, true, executionArn);
    }
    if (status != null && NO_VERDICT.contains(status)) {
      return entry(function, CoverageState.STALE, status, latest == null ? status : OneLine.of(text(latest.path("reason"))),
          last, false, executionArn);
    }
    if ("FAILED".equals(status) || "TIMED_OUT".equals(status)) {
      return entry(function, CoverageState.FAILED, status,
          latest == null ? status : OneLine.of(text(latest.path("reason"))), last, false, executionArn);
    }
    if (!"SKIPPED".equals(status) || skipReason == null) {
      return entry(function, CoverageState.NOT_SCANNED, "UNREADABLE_RESULT",
          "the scan execution's result names no known ending", last, false, executionArn);
    }
    if (EXCLUSIONS.contains(skipReason)) {
      return entry(function, CoverageState.EXCLUDED, skipReason,
          OneLine.of(text(item.path("scan").path("decision").path("detail"))), last, false, executionArn);
    }
    if ("DUPLICATE".equals(skipReason)) {
      if (last == null) {
        return entry(function, CoverageState.NOT_SCANNED, skipReason,
            "another execution holds this code's claim and no result is stored yet", null, false, executionArn);
      }
      boolean fresh = COMPLETED.contains(last.status()) && isFresh(last.at(), now);
      return entry(function, fresh ? CoverageState.SCANNED : CoverageState.STALE, skipReason,
          fresh ? null : "the last result is " + last.status() + " of " + last.at() + "; a rescan is claimed elsewhere",
          last, false, executionArn);
    }
    return entry(function, CoverageState.NOT_SCANNED, skipReason,
        OneLine.of(text(item.path("scan").path("decision").path("detail"))), last, false, executionArn);
  }

  /** Whether this execution's own record (the latest) says its report held findings the parser could not map. */
  private static boolean unmapped(JsonNode latest, String executionArn) {
    return latest != null && executionArn != null && executionArn.equals(text(latest.path("executionArn")))
        && latest.path("scanner").path("findingsUnmapped").asBoolean(false);
  }

  /** An entry for a function of a scope that could not be read this run. */
  static CoverageEntry unreachable(String accountId, String region, String functionArn, String functionName,
      String packageType, String error) {
    return new CoverageEntry(functionArn, accountId, region, functionName, packageType, CoverageState.UNREACHABLE,
        "UNREACHABLE", error, null, false, null);
  }

  private boolean isFresh(String at, Instant now) {
    try {
      return Instant.parse(at).plus(rescanAfter).isAfter(now);
    } catch (DateTimeParseException | NullPointerException e) {
      return false;
    }
  }

  private static CoverageEntry entry(InventoryFunction f, CoverageState state, String reason, String error,
      CoverageEntry.LastScan last, boolean scannedThisRun, String executionArn) {
    return new CoverageEntry(f.functionArn(), f.accountId(), f.region(), f.functionName(), f.packageType(), state,
        reason, error, last, scannedThisRun, executionArn);
  }

  private CoverageEntry.LastScan lastScan(JsonNode latest) {
    if (latest == null || !latest.isObject() || text(latest.path("status")) == null) {
      return null;
    }
    String at = text(latest.path("timings").path("recordedAt"));
    return new CoverageEntry.LastScan(text(latest.path("scanId")), text(latest.path("status")), at,
        latest.path("highestSeverity").canConvertToInt() ? latest.path("highestSeverity").asInt() : 0);
  }

  /**
   * A failed scan execution, as {@code .sync:2} reports it: {@code Error} {@code States.TaskFailed} and a
   * {@code Cause} holding the child's DescribeExecution (its own {@code error} and {@code cause}, already redacted by
   * the pipeline); or a StartExecution error.
   */
  private String failure(JsonNode error, JsonNode described) {
    String name = text(error.path("Error"));
    String cause = text(error.path("Cause"));
    if (described != null) {
      String childError = field(described, "error");
      String childCause = field(described, "cause");
      if (childError != null || childCause != null) {
        cause = "scan execution " + field(described, "status") + ": " + (childError == null ? "" : childError)
            + (childCause == null ? "" : " " + childCause);
      }
    }
    return OneLine.of((name == null ? "error" : name) + (cause == null ? "" : ": " + cause));
  }

  /** The child's DescribeExecution in a {@code .sync:2} failure's Cause, or null. */
  private JsonNode described(JsonNode error) {
    String cause = text(error.path("Cause"));
    if (cause == null || !cause.startsWith("{")) {
      return null;
    }
    try {
      JsonNode described = json.mapper().readTree(cause);
      return described != null && described.isObject() ? described : null;
    } catch (IOException unreadable) {
      return null;
    }
  }

  /**
   * A DescribeExecution field of a {@code .sync:2} failure's Cause, in the API's casing ({@code executionArn}) or the
   * integration's ({@code ExecutionArn}): which one AWS writes there is to be confirmed (docs/fleet.md).
   */
  private static String field(JsonNode described, String name) {
    String value = text(described.path(name));
    return value != null ? value : text(described.path(Character.toUpperCase(name.charAt(0)) + name.substring(1)));
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
