package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import com.qualys.lambdascanner.common.risk.RiskScore;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private final JsonCodec json = new JsonCodec();

  private ScanSummary summary(com.qualys.lambdascanner.common.model.RecordRequest request, FindingChanges changes) {
    var record = new ResultRecordBuilder().build(request, NOW);
    StoredRecord s = request.state().record();
    StoredRecord stored = new StoredRecord(s.bucket(), s.key(), s.latestKey(), record.status(), changes, null);
    return new SummaryBuilder(json).build(record, stored, Threshold.OFF).summary();
  }

  private static FindingChanges newCounts(SeverityCounts added) {
    return new FindingChanges(
        FindingChanges.PREVIOUS, "p", added, null, null, added.highest(), 0, List.of(), List.of(), true);
  }

  @Test
  void wanted_whenNewAtOrAboveThreshold_expectationSent() {
    Threshold critical = Threshold.severity(4);
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), newCounts(new SeverityCounts(0, 1, 0, 0, 0))), critical))
        .isTrue();
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), newCounts(new SeverityCounts(0, 0, 1, 0, 0))), critical))
        .isFalse();
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), newCounts(SeverityCounts.NONE)), Threshold.severity(1)))
        .isFalse();
  }

  @Test
  void wanted_whenNotComparedOrFailed_expectationByTotalsOrAlways() {
    Threshold urgent = Threshold.severity(5);
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), null), urgent)).as("2 urgent in all").isTrue();
    assertThat(ChatMessage.wanted(summary(Events.request("notify", "failed.json"), null), urgent)).isTrue();
    assertThat(ChatMessage.wanted(
        summary(Fixtures.scanned(), FindingChanges.notComputed(FindingChanges.NEWER_SCAN_EXISTS, "x")),
        Threshold.severity(1))).isFalse();
  }

  @Test
  void build_whenScanned_expectationChatbotCustomNotification() throws Exception {
    var message = json.mapper().readTree(ChatMessage.build(json, summary(Fixtures.scanned(), null)));

    assertThat(message.path("version").asText()).isEqualTo("1.0");
    assertThat(message.path("source").asText()).isEqualTo("custom");
    assertThat(message.path("content").path("textType").asText()).isEqualTo("client-markdown");
    assertThat(message.path("content").path("title").asText()).hasSizeLessThanOrEqualTo(ChatMessage.MAX_TITLE);
    assertThat(message.path("metadata").path("threadId").asText()).isEqualTo("123456789012/us-east-1/orders-api");
  }

  @Test
  void plain_whenReportTextCarriesMarkdownOrMentions_expectationDefused() {
    assertThat(ChatMessage.plain("<!channel> @here *bold* [x](http://evil) `code`"))
        .isEqualTo("!channel here bold x (http://evil) code");
  }

  @Test
  void build_whenNewFindingsDifferInQds_expectationRiskiestListedFirst() throws Exception {
    List<Finding> added = List.of(new Finding("501", List.of(), 5, "severity 5", "a", "1", null, null, null),
        new Finding("302", List.of(), 3, "exploited", "b", "1", null, 98, null));
    FindingChanges changes = new FindingChanges(FindingChanges.PREVIOUS, "p", new SeverityCounts(1, 0, 1, 0, 0), null,
        null, 5, 0, added, List.of(), true);

    String description = json.mapper().readTree(ChatMessage.build(json, summary(Fixtures.scanned(), changes)))
        .path("content").path("description").asText();

    assertThat(description).contains("risk 98 QID 302", "risk 90 QID 501");
    assertThat(description.indexOf("QID 302")).isLessThan(description.indexOf("QID 501"));
  }

  @Test
  void wanted_whenKeyedOnRisk_expectationNewRiskWhenComparedElseTheFunctionsRisk() {
    Threshold high = Threshold.risk(RiskScore.Band.HIGH);
    FindingChanges severeButQuiet = new FindingChanges(FindingChanges.PREVIOUS, "p", new SeverityCounts(1, 0, 0, 0, 0),
        null, null, 5, 35, List.of(), List.of(), true);
    FindingChanges exploited = new FindingChanges(FindingChanges.PREVIOUS, "p", new SeverityCounts(0, 0, 1, 0, 0),
        null, null, 3, 95, List.of(), List.of(), true);

    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), severeButQuiet), Threshold.severity(5))).isTrue();
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), severeButQuiet), high)).isFalse();
    assertThat(ChatMessage.wanted(summary(Fixtures.scanned(), exploited), high)).isTrue();

    // Not compared: the function's risk, as Store Results stored it.
    var record = new ResultRecordBuilder().build(Fixtures.scanned(), NOW);
    StoredRecord s = Fixtures.scanned().state().record();
    StoredRecord quiet = new StoredRecord(s.bucket(), s.key(), s.latestKey(), record.status(), null, null, null,
        new FunctionRisk(35, RiskScore.Band.LOW, 35, 1.0, "1/p", "1", 5, 35, 1, FunctionRisk.INDEX, true));
    ScanSummary summary = new SummaryBuilder(json).build(record, quiet, Threshold.OFF).summary();
    assertThat(ChatMessage.wanted(summary, high)).isFalse();
    assertThat(ChatMessage.wanted(summary, Threshold.risk(RiskScore.Band.LOW))).isTrue();
  }
}
