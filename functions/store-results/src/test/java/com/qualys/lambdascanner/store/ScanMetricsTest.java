package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.common.record.SecurityHubResult;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import com.qualys.lambdascanner.common.risk.RiskScore;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanMetricsTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private final JsonCodec json = new JsonCodec();
  private final List<String> lines = new ArrayList<>();
  private final ScanMetrics sut = new ScanMetrics(json, lines::add);

  private JsonNode emit(String event) throws Exception {
    sut.emit(new ResultRecordBuilder().build(Events.request("store-results", event), NOW));
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).doesNotContain("\n");
    return json.mapper().readTree(lines.getFirst());
  }

  @Test
  void emit_whenDenied_expectEmfWithCompletedAndFindings() throws Exception {
    JsonNode line = emit("scanned.json");

    JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.get("Namespace").asText()).isEqualTo("QualysLambdaScanner");
    assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(line.get("ScansCompleted").asInt()).isEqualTo(1);
    assertThat(line.get("ScanFailures").asInt()).isZero();
    assertThat(line.get("FindingsUrgent").asInt()).isEqualTo(2);
    assertThat(line.get("ScanDurationMs").asLong()).isEqualTo(22_406L);
    // Every metric value in the line is declared in the directive, and vice versa.
    List<String> declared = new ArrayList<>();
    directive.get("Metrics").forEach(m -> declared.add(m.get("Name").asText()));
    assertThat(declared).contains("ScansCompleted", "ScanDurationMs", "FindingsCritical", "DuplicatesSkipped");
    declared.forEach(name -> assertThat(line.get(name).isNumber()).as(name).isTrue());
  }

  @Test
  void emit_whenDuplicateSkipped_expectDuplicatesSkipped() throws Exception {
    JsonNode line = emit("skipped.json");

    assertThat(line.get("DuplicatesSkipped").asInt()).isEqualTo(1);
    assertThat(line.get("ScansCompleted").asInt()).isZero();
    assertThat(line.has("FindingsUrgent")).isFalse();
  }

  @Test
  void emit_whenTimedOut_expectScanTimeouts() throws Exception {
    assertThat(emit("timed-out.json").get("ScanTimeouts").asInt()).isEqualTo(1);
  }

  @Test
  void emit_whenSecurityHubExportFailed_expectExportFailureAndTheFunctionForTheDashboard() throws Exception {
    var record = new ResultRecordBuilder().build(Events.request("store-results", "scanned.json"), NOW)
        .withSecurityHub(new SecurityHubResult(SecurityHubResult.FAILED, null, 0, 0, 3, List.of(), null, "throttled"));

    sut.emit(record);

    JsonNode line = json.mapper().readTree(lines.getFirst());
    assertThat(line.get("SecurityHubExportFailures").asInt()).isEqualTo(1);
    assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("SecurityHubExportFailures");
    assertThat(line.get("functionName").asText()).isEqualTo(record.target().functionName());
    assertThat(line.get("accountId").asText()).isEqualTo(record.target().accountId());
    assertThat(line.get("highestSeverity").asInt()).isEqualTo(record.highestSeverity()).isPositive();
  }

  @Test
  void emit_whenSecurityHubExportOff_expectNoExportMetric() throws Exception {
    assertThat(emit("scanned.json").has("SecurityHubExportFailures")).isFalse();
  }

  @Test
  void emit_whenTopFindingHasAQds_expectationItsRiskAndOneBand() throws Exception {
    JsonNode line = emit("scanned.json");

    // scanned.json's riskiest finding is Log4Shell with QDS 95 (severity alone would give 90), in a function whose
    // role is an administrator's (weight 1.20): risk min(100, 114), critical.
    assertThat(line.get("risk").asInt()).isEqualTo(100);
    assertThat(line.get("ScansAtRiskCritical").asInt()).isEqualTo(1);
    assertThat(line.get("ScansAtRiskHigh").asInt() + line.get("ScansAtRiskMedium").asInt()
        + line.get("ScansAtRiskLow").asInt()).isZero();
    assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("ScansAtRiskLow");
  }

  @Test
  void emit_whenRecordHasRiskOverItsIndex_expectationThatRiskNotTheTopFindings() throws Exception {
    // The index held a medium-risk finding only (its top findings say critical): the record's risk is what counts.
    var record = new ResultRecordBuilder().build(Events.request("store-results", "scanned.json"), NOW);
    sut.emit(record.withRisk(
        new FunctionRisk(55, RiskScore.Band.MEDIUM, 55, 1.0, "1/p", "1", 3, 55, 1, FunctionRisk.INDEX, true),
        record.topFindings()));
    JsonNode line = json.mapper().readTree(lines.getFirst());

    assertThat(line.get("risk").asInt()).isEqualTo(55);
    assertThat(line.get("ScansAtRiskMedium").asInt()).isEqualTo(1);
    assertThat(line.get("ScansAtRiskCritical").asInt()).isZero();
  }
}
