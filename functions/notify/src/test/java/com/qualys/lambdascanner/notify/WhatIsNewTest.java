package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.common.risk.RiskScore;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subject and the alert flag lead with what is new since the previous scan. */
class WhatIsNewTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final SeverityCounts TWO_CRITICAL = new SeverityCounts(0, 2, 0, 0, 0);
  private static final SeverityCounts ONE_SERIOUS = new SeverityCounts(0, 0, 1, 0, 0);

  private final SummaryBuilder summaries = new SummaryBuilder(new JsonCodec());

  private ScanSummary summary(RecordRequest request, FindingChanges changes, int threshold) {
    return summary(request, changes, threshold == 0 ? Threshold.OFF : Threshold.severity(threshold));
  }

  private ScanSummary summary(RecordRequest request, FindingChanges changes, Threshold threshold) {
    var record = new ResultRecordBuilder().build(request, NOW);
    StoredRecord s = request.state().record();
    StoredRecord stored =
        new StoredRecord(s.bucket(), s.key(), s.latestKey(), record.status(), changes, null);
    return summaries.build(record, stored, threshold).summary();
  }

  private static FindingChanges changes(SeverityCounts added, SeverityCounts fixed) {
    return new FindingChanges(
        FindingChanges.PREVIOUS, "prev", added, fixed, ONE_SERIOUS, added.highest(), 0, List.of(), List.of(), true);
  }

  @Test
  void subject_whenNewFindings_expectationLeadsWithWhatIsNew() {
    ScanSummary s = summary(Fixtures.scanned(), changes(TWO_CRITICAL, ONE_SERIOUS), 0);

    assertThat(s.headline()).isEqualTo("[DENY] 2 new critical in orders-api; 1 fixed (123456789012/us-east-1)");
  }

  @Test
  void subject_whenNothingNew_expectationSaysSo() {
    ScanSummary s = summary(Fixtures.scanned(), changes(SeverityCounts.NONE, SeverityCounts.NONE), 0);

    assertThat(s.headline()).isEqualTo("[DENY] no new findings in orders-api (123456789012/us-east-1)");
  }

  @Test
  void subject_whenNotCompared_expectationTotalsAsBefore() {
    ScanSummary s =
        summary(Fixtures.scanned(), FindingChanges.notComputed(FindingChanges.UNAVAILABLE, null), 0);

    assertThat(s.headline()).isEqualTo("[DENY] orders-api: 2 urgent, 5 critical (123456789012/us-east-1)");
  }

  @Test
  void alert_whenThresholdOff_expectationEveryScanAlerts() {
    assertThat(summary(Fixtures.scanned(), changes(SeverityCounts.NONE, SeverityCounts.NONE), 0).alert()).isTrue();
  }

  @Test
  void alert_whenThresholdSet_expectationOnlyNewAtOrAboveItAndFailures() {
    assertThat(summary(Fixtures.scanned(), changes(TWO_CRITICAL, SeverityCounts.NONE), 4).alert()).isTrue();
    assertThat(summary(Fixtures.scanned(), changes(TWO_CRITICAL, SeverityCounts.NONE), 5).alert()).isFalse();
    assertThat(summary(Fixtures.scanned(), changes(SeverityCounts.NONE, ONE_SERIOUS), 1).alert()).isFalse();
    assertThat(summary(Fixtures.scanned(), FindingChanges.notComputed(FindingChanges.UNAVAILABLE, null), 5).alert())
        .as("an uncompared scan alerts rather than guessing").isTrue();
    assertThat(summary(Fixtures.scanned(), FindingChanges.notComputed(FindingChanges.NEWER_SCAN_EXISTS, "x"), 1)
        .alert()).as("a scan of an older change is history").isFalse();
    assertThat(summary(Events.request("notify", "failed.json"), null, 5).alert()).isTrue();
  }

  @Test
  void attributes_whenChanges_expectationNewHighestSeverityAndAlert() {
    var attributes = MessageAttributes.of(summary(Fixtures.scanned(), changes(TWO_CRITICAL, SeverityCounts.NONE), 5));

    assertThat(attributes.get("newHighestSeverity").dataType()).isEqualTo("Number");
    assertThat(attributes.get("newHighestSeverity").stringValue()).isEqualTo("4");
    assertThat(attributes.get("alert").stringValue()).isEqualTo("false");
  }

  @Test
  void alert_whenKeyedOnRisk_expectationTheNewFindingsRiskNotTheirSeverityDecides() {
    // New: a severity 5 nobody exploits (risk 35); then a severity 3 exploited in the wild (risk 95).
    FindingChanges severeButQuiet = new FindingChanges(FindingChanges.PREVIOUS, "prev",
        new SeverityCounts(1, 0, 0, 0, 0), null, null, 5, 35, List.of(), List.of(), true);
    FindingChanges exploited = new FindingChanges(FindingChanges.PREVIOUS, "prev",
        new SeverityCounts(0, 0, 1, 0, 0), null, null, 3, 95, List.of(), List.of(), true);

    assertThat(summary(Fixtures.scanned(), severeButQuiet, 5).alert()).as("severity 5 pages").isTrue();
    assertThat(summary(Fixtures.scanned(), severeButQuiet, Threshold.risk(RiskScore.Band.HIGH)).alert()).isFalse();
    assertThat(summary(Fixtures.scanned(), exploited, 4).alert()).isFalse();
    assertThat(summary(Fixtures.scanned(), exploited, Threshold.risk(RiskScore.Band.CRITICAL)).alert()).isTrue();
    assertThat(summary(Events.request("notify", "failed.json"), null, Threshold.risk(RiskScore.Band.CRITICAL)).alert())
        .as("a failure always alerts").isTrue();
  }
}
