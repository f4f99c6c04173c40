package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryBuilderTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final int SNS_LIMIT = 256 * 1024;

  private final JsonCodec json = new JsonCodec();
  private final SummaryBuilder sut = new SummaryBuilder(json);

  private SummaryBuilder.Built build(RecordRequest request) {
    return sut.build(new ResultRecordBuilder().build(request, NOW), request.state().record());
  }

  @Test
  void build_whenDenied_expectSummaryWithRecordLocation() throws Exception {
    SummaryBuilder.Built built = build(Fixtures.scanned());

    JsonNode node = json.mapper().readTree(built.json());
    assertThat(node.get("status").asText()).isEqualTo("POLICY_DENY");
    assertThat(node.get("functionName").asText()).isEqualTo("orders-api");
    assertThat(node.get("highestSeverity").asInt()).isEqualTo(5);
    assertThat(node.get("topFindings")).hasSize(4);
    assertThat(node.get("topFindingsOmitted").asInt()).isZero();
    assertThat(node.get("recordKey").asText()).startsWith("results/account=123456789012/");
    assertThat(node.has("credentials")).isFalse();
  }

  @Test
  void build_whenThousandsOfFindings_expectTenAndSubject() {
    SummaryBuilder.Built built = build(Fixtures.manyFindings(Fixtures.scanned(), 5000, 200));

    assertThat(built.json().getBytes(StandardCharsets.UTF_8).length).isLessThan(SNS_LIMIT);
    assertThat(built.summary().topFindings()).hasSize(SummaryBuilder.MAX_TOP_FINDINGS);
    assertThat(built.summary().topFindingsOmitted()).isEqualTo(4990);
    assertThat(built.summary().counts().total()).isEqualTo(5000);
    String subject = Subjects.subject(built.summary());
    assertThat(subject).hasSizeLessThanOrEqualTo(100).startsWith("[DENY] orders-api: 1000 urgent, 1000 critical");
  }

  @Test
  void build_whenFindingsAreHuge_expectTrimmedUnderLimit() {
    // Ten findings of 60 KB each and 2000 report keys: far over 256 KiB before trimming.
    SummaryBuilder.Built built = build(Fixtures.manyFindings(Fixtures.scanned(), 10, 60_000));

    assertThat(built.json().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SummaryBuilder.MAX_BYTES);
    assertThat(built.summary().topFindings().size()).isLessThan(10);
    assertThat(built.summary().topFindings().size() + built.summary().topFindingsOmitted()).isEqualTo(10);
  }

  @Test
  void build_whenReportKeysAloneTooBig_expectKeysDropped() {
    RecordRequest many = Fixtures.manyFindings(Fixtures.scanned(), 0, 0);
    // 2000 keys are about 180 KB; a target name beyond any limit pushes the rest over.
    RecordRequest request =
        Fixtures.withTarget(many, Fixtures.renamed(many.state().target(), "n".repeat(100_000)));

    SummaryBuilder.Built built = build(request);

    assertThat(built.json().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SummaryBuilder.MAX_BYTES);
    assertThat(built.summary().reportKeys()).isEmpty();
    assertThat(Subjects.subject(built.summary())).hasSizeLessThanOrEqualTo(100);
  }

  @Test
  void build_whenALowerSeverityHasAHighQds_expectTheRiskiestFirst() throws Exception {
    RecordRequest r = Fixtures.scanned();
    ScanResult s = r.state().scan();
    List<Finding> findings = List.of(
        new Finding("1", List.of(), 5, "severity 5, no QDS", "a", "1", null, null, null),
        new Finding("2", List.of(), 4, "severity 4, QDS 35", "b", "1", null, 35, null),
        new Finding("3", List.of(), 3, "severity 3, exploited", "c", "1", null, 97, null));
    RecordRequest request = Fixtures.withScan(r, new ScanResult(s.outcome(), s.exitCode(), s.scannerVersion(), s.mode(),
        s.counts(), 5, findings, s.reportBucket(), s.reportKeys(), s.startedAt(), s.finishedAt(), null));

    JsonNode node = json.mapper().readTree(build(request).json());

    assertThat(node.path("topFindings").findValuesAsText("qid")).containsExactly("3", "1", "2");
  }

  @Test
  void build_whenStoreResultsGaveTheRisk_expectItInTheMessageElseTheTopFindingsLowerBound() throws Exception {
    JsonNode node = json.mapper().readTree(build(Fixtures.scanned()).json());

    assertThat(node.path("risk").path("score").asInt()).isEqualTo(95);
    assertThat(node.path("risk").path("basis").asText()).as("from Store Results").isEqualTo("INDEX");
    assertThat(node.path("risk").path("findings").asInt()).isEqualTo(18);
    assertThat(node.path("topFindings").get(0).path("riskBand").asText()).isEqualTo("CRITICAL");

    // Store Results did not say (its output lost, an older state): the top findings are all there is.
    RecordRequest request = Fixtures.scanned();
    var record = new ResultRecordBuilder().build(request, NOW);
    var s = request.state().record();
    var withoutRisk = new StoredRecord(s.bucket(), s.key(), s.latestKey(), s.status());
    JsonNode lower = json.mapper().readTree(sut.build(record, withoutRisk).json());
    assertThat(lower.path("risk").path("basis").asText()).isEqualTo("TOP_FINDINGS");
    assertThat(lower.path("risk").path("complete").asBoolean()).isFalse();
    assertThat(lower.path("risk").path("findings").asInt()).isEqualTo(4);
  }
}
