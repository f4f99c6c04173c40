package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubjectsTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final String LONGEST_NAME = "a".repeat(30) + "-" + "B".repeat(30) + "_z9"; // 64

  private final SummaryBuilder summaries = new SummaryBuilder(new JsonCodec());

  private String subjectOf(RecordRequest request) {
    var record = new ResultRecordBuilder().build(request, NOW);
    return Subjects.subject(summaries.build(record, request.state().record()).summary());
  }

  private static void assertValidForSns(String subject) {
    assertThat(subject).hasSizeLessThanOrEqualTo(100).isNotBlank();
    assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
    assertThat(Character.isLetterOrDigit(subject.charAt(0)) || "[(".indexOf(subject.charAt(0)) >= 0).isTrue();
  }

  @Test
  void subject_whenDenied_expectReadableSummary() {
    assertThat(subjectOf(Fixtures.scanned()))
        .isEqualTo("[DENY] orders-api: 2 urgent, 5 critical (123456789012/us-east-1)");
  }

  @Test
  void subject_whenClean_expectNoVulnerabilities() {
    assertThat(subjectOf(Fixtures.clean(Fixtures.scanned())))
        .isEqualTo("[SCANNED] orders-api: no vulnerabilities (123456789012/us-east-1)");
  }

  @Test
  void subject_whenFailed_expectErrorName() {
    assertThat(subjectOf(Events.request("notify", "failed.json")))
        .isEqualTo("[FAILED] orders-api: scan failed (TerminalException) (123456789012/us-east-1)");
  }

  @Test
  void subject_whenLongestFunctionName_expectValidAndBounded() {
    assertThat(LONGEST_NAME).hasSize(64);
    RecordRequest request =
        Fixtures.withTarget(Fixtures.scanned(), Fixtures.renamed(Fixtures.scanned().state().target(), LONGEST_NAME));

    String subject = subjectOf(request);

    assertValidForSns(subject);
    assertThat(subject).startsWith("[DENY] " + LONGEST_NAME + ": 2 urgent, 5 critical");
  }

  @Test
  void subject_whenLongestNameTimedOut_expectTruncatedWithEllipsis() {
    RecordRequest timedOut = Events.request("store-results", "timed-out.json");
    RecordRequest request =
        Fixtures.withTarget(timedOut, Fixtures.renamed(timedOut.state().target(), LONGEST_NAME + LONGEST_NAME));

    String subject = subjectOf(request);

    assertValidForSns(subject);
    assertThat(subject).hasSize(100).endsWith("...");
  }

  @Test
  void subject_whenNameHasControlAndNonAscii_expectSanitized() {
    RecordRequest request =
        Fixtures.withTarget(Fixtures.scanned(), Fixtures.renamed(Fixtures.scanned().state().target(), "bad\nname\u00e9\t"));

    String subject = subjectOf(request);

    assertValidForSns(subject);
    assertThat(subject).startsWith("[DENY] bad name? :");
  }

  @Test
  void subject_whenNoTarget_expectUnknownFunction() {
    RecordRequest failed = Events.request("notify", "failed.json");

    assertThat(subjectOf(Fixtures.withTarget(failed, null))).startsWith("[FAILED] unknown function: scan failed");
  }
}
