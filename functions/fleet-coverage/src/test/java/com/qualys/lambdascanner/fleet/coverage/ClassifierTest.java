package com.qualys.lambdascanner.fleet.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.fleet.InventoryFunction;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String ARN = "arn:aws:lambda:eu-west-1:210987654321:function:orders-api";
  private static final String CHILD = "arn:aws:states:us-east-1:123456789012:execution:scan:abc";

  private final JsonCodec json = new JsonCodec();
  private final Classifier sut = new Classifier(Duration.ofDays(7), json);
  private final InventoryFunction function =
      new InventoryFunction(ARN, "210987654321", "eu-west-1", "orders-api", "Zip", "java21", "c2hh", List.of());

  private JsonNode node(String text) {
    try {
      return json.mapper().readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode item(String status, String reason) {
    return node("{'functionArn': '" + ARN + "', 'scan': {'executionArn': '" + CHILD + "', 'status': 'SUCCEEDED',"
        + " 'record': {'status': '" + status + "'}, 'decision': {'action': '" + (reason == null ? "SCAN" : "SKIP")
        + "', 'reason': " + (reason == null ? "null" : "'" + reason + "'") + ", 'detail': 'because'}}}");
  }

  private JsonNode latest(String status, String at) {
    return node("{'scanId': 's1', 'executionArn': '" + CHILD + "', 'status': '" + status + "', 'reason': 'why',"
        + " 'highestSeverity': 4, 'timings': {'recordedAt': '" + at + "'}}");
  }

  /** A map item whose scan execution failed, as {@code .sync:2} reports it: its DescribeExecution in the Cause. */
  private JsonNode failedItem(java.util.Map<String, String> described) {
    com.fasterxml.jackson.databind.node.ObjectNode item = json.mapper().createObjectNode().put("functionArn", ARN);
    item.putObject("error").put("Error", "States.TaskFailed").put("Cause", json.toJson(described));
    return item;
  }

  @Test
  void classify_whenScannedThisRun_isScannedWithTheLatestRecord() {
    CoverageEntry entry = sut.classify(function, item("SUCCEEDED", null), latest("SUCCEEDED", "2026-12-01T11:59:00Z"),
        NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.SCANNED);
    assertThat(entry.scannedThisRun()).isTrue();
    assertThat(entry.executionArn()).isEqualTo(CHILD);
    assertThat(entry.lastScan().highestSeverity()).isEqualTo(4);
  }

  @Test
  void classify_whenThisRunsDenyHadUnmappedFindings_isStaleNotScanned() {
    JsonNode latest = node("{'scanId': 's1', 'executionArn': '" + CHILD + "', 'status': 'POLICY_DENY',"
        + " 'reason': 'no finding in the report could be read', 'scanner': {'findingsUnmapped': true},"
        + " 'highestSeverity': 0, 'timings': {'recordedAt': '2026-12-01T11:59:00Z'}}");

    CoverageEntry entry = sut.classify(function, item("POLICY_DENY", null), latest, NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.STALE);
    assertThat(entry.reason()).isEqualTo("FINDINGS_UNMAPPED");
    assertThat(entry.error()).contains("could be read");
    assertThat(entry.scannedThisRun()).isFalse();
  }

  @Test
  void classify_whenExcludedByTag_isExcludedWithReasonAndDetail() {
    CoverageEntry entry = sut.classify(function, item("SKIPPED", "EXCLUDED_BY_TAG"), null, NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.EXCLUDED);
    assertThat(entry.reason()).isEqualTo("EXCLUDED_BY_TAG");
    assertThat(entry.error()).isEqualTo("because");
  }

  @Test
  void classify_whenDuplicateOfAFreshCompletedScan_isScannedNotThisRun() {
    CoverageEntry entry = sut.classify(function, item("SKIPPED", "DUPLICATE"), latest("POLICY_DENY",
        "2026-11-30T12:00:00Z"), NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.SCANNED);
    assertThat(entry.scannedThisRun()).isFalse();
    assertThat(entry.reason()).isEqualTo("DUPLICATE");
  }

  @Test
  void classify_whenDuplicateButLastScanOlderThanTheWindow_isStale() {
    CoverageEntry entry = sut.classify(function, item("SKIPPED", "DUPLICATE"), latest("SUCCEEDED",
        "2026-11-20T12:00:00Z"), NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.STALE);
  }

  @Test
  void classify_whenDuplicateWithoutAnyResult_isNotScanned() {
    assertThat(sut.classify(function, item("SKIPPED", "DUPLICATE"), null, NOW, null).state())
        .isEqualTo(CoverageState.NOT_SCANNED);
  }

  @Test
  void classify_whenScanExecutionFailed_isFailedWithItsRecordedReason() {
    JsonNode failedItem = failedItem(java.util.Map.of("executionArn", CHILD, "status", "FAILED", "error", "ScanFailed",
        "cause", "A step failed for good."));

    CoverageEntry entry = sut.classify(function, failedItem, latest("FAILED", "2026-12-01T11:59:00Z"), NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.FAILED);
    assertThat(entry.error()).startsWith("FAILED: why").contains("States.TaskFailed").contains("ScanFailed");
    assertThat(entry.executionArn()).isEqualTo(CHILD);
  }

  @Test
  void classify_whenFailureCauseInTheIntegrationsCasing_readsItToo() {
    JsonNode failedItem = failedItem(java.util.Map.of("ExecutionArn", CHILD, "Status", "FAILED", "Error",
        "ScanTimedOut", "Cause", "The scan did not finish."));

    CoverageEntry entry = sut.classify(function, failedItem, latest("TIMED_OUT", "2026-12-01T11:59:00Z"), NOW, null);

    assertThat(entry.state()).isEqualTo(CoverageState.FAILED);
    assertThat(entry.error()).startsWith("TIMED_OUT: why").contains("scan execution FAILED: ScanTimedOut");
    assertThat(entry.executionArn()).isEqualTo(CHILD);
  }

  @Test
  void classify_whenScanGaveNoFullVerdict_isStaleWithTheRecordsReason() {
    for (String status : List.of("PARTIAL", "CODE_CHANGED")) {
      CoverageEntry entry = sut.classify(function, item(status, null), latest(status, "2026-12-01T11:59:00Z"), NOW, null);

      assertThat(entry.state()).as(status).isEqualTo(CoverageState.STALE);
      assertThat(entry.reason()).isEqualTo(status);
      assertThat(entry.error()).isEqualTo("why");
    }
  }

  @Test
  void classify_whenRecordFailedOrTimedOut_isFailed() {
    assertThat(sut.classify(function, item("TIMED_OUT", null), latest("TIMED_OUT", "2026-12-01T11:00:00Z"), NOW, null)
        .state()).isEqualTo(CoverageState.FAILED);
  }

  @Test
  void classify_whenMapReturnedNothing_isNotScannedWithTheMapError() {
    CoverageEntry entry = sut.classify(function, null, null, NOW, "the fleet map stopped: States.ItemReaderFailed");

    assertThat(entry.state()).isEqualTo(CoverageState.NOT_SCANNED);
    assertThat(entry.error()).contains("States.ItemReaderFailed");
  }

  @Test
  void classify_whenItemHostileOrMalformed_isNotScannedNeverAnException() {
    for (String text : List.of("{}", "{'scan': 5}", "{'scan': {'record': {'status': 7}}}",
        "{'scan': {'record': {'status': 'SKIPPED'}, 'decision': {'reason': ['x']}}}", "{'error': {'Cause': '{oops'}}")) {
      CoverageEntry entry = sut.classify(function, node(text), node("{'status': ['x']}"), NOW, null);
      assertThat(entry.state()).as(text).isIn(CoverageState.NOT_SCANNED, CoverageState.FAILED);
      assertThat(entry.lastScan()).isNull();
    }
  }

  @Test
  void summary_whenMixed_countsEachStateAndExcludesTheExcludedFromThePercentage() {
    List<CoverageEntry> entries = List.of(
        sut.classify(function, item("SUCCEEDED", null), null, NOW, null),
        sut.classify(function, item("SUCCEEDED", null), null, NOW, null),
        sut.classify(function, item("SKIPPED", "EXCLUDED_BY_NAME"), null, NOW, null),
        sut.classify(function, null, null, NOW, null),
        Classifier.unreachable("310987654321", "eu-west-1", null, "*", null, "AccessDenied"));

    CoverageSummary summary = CoverageSummary.of(entries);

    assertThat(summary.total()).isEqualTo(5);
    assertThat(summary.scanned()).isEqualTo(2);
    assertThat(summary.excluded()).isEqualTo(1);
    assertThat(summary.notScanned()).isEqualTo(1);
    assertThat(summary.unreachable()).isEqualTo(1);
    assertThat(summary.coveragePercent()).isEqualTo(50.0);
    assertThat(summary.unscanned()).isEqualTo(2);
    assertThat(CoverageSummary.of(List.of()).coveragePercent()).isEqualTo(100.0);
  }
}
