package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.TaskError;
import com.qualys.lambdascanner.common.record.PolicyResult;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResultRecordBuilderTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final String EXECUTION =
      "arn:aws:states:us-east-1:123456789012:execution:qualys-lambda-scanner:exec-42";

  private final ResultRecordBuilder sut = new ResultRecordBuilder();

  private static RecordRequest withState(RecordRequest request, PipelineState state) {
    return new RecordRequest(request.executionArn(), request.ending(), state);
  }

  private static PipelineState withScan(PipelineState s, ScanResult scan) {
    return new PipelineState(
        s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), scan, s.record(), s.error());
  }

  private static PipelineState withError(PipelineState s, TaskError error) {
    return new PipelineState(
        s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(), s.record(), error);
  }

  private static ScanResult withOutcome(ScanResult s, Outcome outcome) {
    return new ScanResult(
        outcome, s.exitCode(), s.scannerVersion(), s.mode(), s.counts(), s.secretsFound(), s.topFindings(),
        s.reportBucket(), s.reportKeys(), s.startedAt(), s.finishedAt(), s.message());
  }

  @Test
  void build_whenDenied_expectDenyWithCountsTimingsAndScanner() {
    ResultRecord record = sut.build(Events.request("store-results", "scanned.json"), NOW);

    assertThat(record.schemaVersion()).isEqualTo("1.0");
    assertThat(record.scanId()).isEqualTo("3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17");
    assertThat(record.status()).isEqualTo(RecordStatus.POLICY_DENY);
    assertThat(record.policyResult()).isEqualTo(PolicyResult.DENY);
    assertThat(record.highestSeverity()).isEqualTo(5);
    assertThat(record.counts().critical()).isEqualTo(5);
    assertThat(record.topFindings()).hasSize(4);
    assertThat(record.reportKeys()).hasSize(2);
    assertThat(record.scanner().pod()).isEqualTo("US1");
    assertThat(record.scanner().version()).isEqualTo("4.8.0");
    assertThat(record.timings().durationMs()).isEqualTo(22_406L);
    assertThat(record.timings().triggeredAt()).isEqualTo(Instant.parse("2026-11-27T13:02:11Z"));
    assertThat(record.timings().recordedAt()).isEqualTo(NOW);
    assertThat(record.error()).isNull();
  }

  @Test
  void build_whenOutcomes_expectStatusAndPolicy() {
    RecordRequest request = Events.request("store-results", "scanned.json");
    PipelineState state = request.state();

    ResultRecord completed = sut.build(withState(request, withScan(state, withOutcome(state.scan(), Outcome.COMPLETED))), NOW);
    ResultRecord allowed = sut.build(withState(request, withScan(state, withOutcome(state.scan(), Outcome.POLICY_ALLOW))), NOW);
    ResultRecord audit = sut.build(withState(request, withScan(state, withOutcome(state.scan(), Outcome.POLICY_AUDIT))), NOW);
    ResultRecord partial = sut.build(withState(request, withScan(state, withOutcome(state.scan(), Outcome.PARTIAL))), NOW);

    assertThat(completed.status()).isEqualTo(RecordStatus.SUCCEEDED);
    assertThat(completed.policyResult()).isNull();
    assertThat(allowed.status()).isEqualTo(RecordStatus.SUCCEEDED);
    assertThat(allowed.policyResult()).isEqualTo(PolicyResult.ALLOW);
    assertThat(audit.status()).isEqualTo(RecordStatus.POLICY_AUDIT);
    assertThat(partial.status()).isEqualTo(RecordStatus.PARTIAL);
  }

  @Test
  void build_whenScannedWithoutScan_expectFailed() {
    RecordRequest request = Events.request("store-results", "scanned.json");

    ResultRecord record = sut.build(withState(request, withScan(request.state(), null)), NOW);

    assertThat(record.status()).isEqualTo(RecordStatus.FAILED);
    assertThat(record.reason()).isEqualTo("the scan returned no result");
  }

  @Test
  void build_whenSkipped_expectReasonAndDetail() {
    ResultRecord record = sut.build(Events.request("store-results", "skipped.json"), NOW);

    assertThat(record.status()).isEqualTo(RecordStatus.SKIPPED);
    assertThat(record.skipReason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(record.reason()).startsWith("the same code and layers were scanned");
    assertThat(record.scanner()).isNull();
    assertThat(record.error()).isNull();
  }

  @Test
  void build_whenFailed_expectMessageFromCauseRedactedWithoutStack() {
    ResultRecord record = sut.build(Events.request("store-results", "failed.json"), NOW);

    assertThat(record.status()).isEqualTo(RecordStatus.FAILED);
    assertThat(record.error().type()).isEqualTo("com.qualys.lambdascanner.common.error.TerminalException");
    assertThat(record.error().message())
        .startsWith("qscanner exited with code 10")
        .contains("[REDACTED]")
        .doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE")
        .doesNotContain("0f1e2d3c4b5a6978")
        .doesNotContain("QScannerProcess.java");
    assertThat(record.reason()).startsWith("TerminalException: qscanner exited with code 10");
    assertThat(record.counts().total()).isZero();
  }

  @Test
  void build_whenStoreFailedAfterScan_expectFailedWithScanData() {
    RecordRequest scanned = Events.request("store-results", "scanned.json");
    PipelineState afterScan =
        withError(scanned.state(), new TaskError("com.qualys.lambdascanner.common.error.TerminalException", null));

    ResultRecord record = sut.build(new RecordRequest(scanned.executionArn(), Ending.FAILED, afterScan), NOW);

    assertThat(record.status()).isEqualTo(RecordStatus.FAILED);
    assertThat(record.highestSeverity()).isEqualTo(5);
    assertThat(record.reportKeys()).hasSize(2);
    assertThat(record.error().type()).endsWith("TerminalException");
  }

  @Test
  void build_whenTimedOut_expectTimedOutWithMessage() {
    ResultRecord record = sut.build(Events.request("store-results", "timed-out.json"), NOW);

    assertThat(record.status()).isEqualTo(RecordStatus.TIMED_OUT);
    assertThat(record.error().type()).endsWith("ScanTimeoutException");
    assertThat(record.error().message()).startsWith("qscanner did not finish");
  }

  @Test
  void build_whenStatesTimeoutWithoutCause_expectTypeOnly() {
    RecordRequest request = Events.request("store-results", "timed-out.json");

    ResultRecord record =
        sut.build(withState(request, withError(request.state(), new TaskError("States.Timeout", null))), NOW);

    assertThat(record.error().type()).isEqualTo("States.Timeout");
    assertThat(record.error().message()).isNull();
    assertThat(record.reason()).isEqualTo("States.Timeout");
  }

  @Test
  void build_whenCauseIsHugePlainText_expectBoundedAndRedacted() {
    RecordRequest request = Events.request("store-results", "failed.json");
    String cause =
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzY2FubmVyIn0.c2lnbmF0dXJl\n"
            + "\tat com.example.Foo.bar(Foo.java:1)\n"
            + "x".repeat(50_000);

    ResultRecord record =
        sut.build(withState(request, withError(request.state(), new TaskError("Lambda.Unknown", cause))), NOW);

    assertThat(record.error().message()).hasSizeLessThanOrEqualTo(ResultRecordBuilder.MAX_ERROR_MESSAGE_CHARS);
    assertThat(record.error().message()).doesNotContain("eyJhbGciOiJIUzI1NiJ9").doesNotContain("Foo.java");
    assertThat(record.reason()).hasSizeLessThanOrEqualTo(ResultRecordBuilder.MAX_REASON_CHARS);
  }

  @Test
  void build_whenResolveFailedOnRawEvent_expectScanIdFromExecutionAndNoTarget() {
    PipelineState rawEvent =
        new PipelineState(
            null, null, null, null, null, null, null, null,
            new TaskError("com.qualys.lambdascanner.common.error.InvalidInputException",
                "{\"errorType\":\"x\",\"errorMessage\":\"not a valid Lambda function ARN\"}"));

    ResultRecord record = sut.build(new RecordRequest(EXECUTION, Ending.FAILED, rawEvent), NOW);

    assertThat(record.scanId()).isEqualTo("exec-42");
    assertThat(record.target()).isNull();
    assertThat(record.error().message()).isEqualTo("not a valid Lambda function ARN");
  }

  @Test
  void build_whenNoScanIdNorExecution_expectInvalidInput() {
    assertThatThrownBy(() -> sut.build(new RecordRequest(null, Ending.FAILED, null), NOW))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void build_whenScanIdHasPathCharacters_expectInvalidInput() {
    RecordRequest request = Events.request("store-results", "skipped.json");
    PipelineState s = request.state();
    PipelineState evil =
        new PipelineState("../../etc", s.target(), s.trigger(), s.decision(), s.dedupKey(), null, null, null, null);

    assertThatThrownBy(() -> sut.build(withState(request, evil), NOW)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void build_whenEndingMissing_expectInvalidInput() {
    assertThatThrownBy(() -> sut.build(new RecordRequest(EXECUTION, null, null), NOW))
        .isInstanceOf(InvalidInputException.class);
  }
}
