package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.TagResourceRequest;
import software.amazon.awssdk.services.lambda.model.TagResourceResponse;

class FunctionTaggerTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05.123456Z");
  /** Lambda's rule for tag values. */
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final List<TagResourceRequest> calls = new ArrayList<>();

  private ResultRecord record(String event) {
    return new ResultRecordBuilder().build(Events.request("store-results", event), NOW);
  }

  private Ending ending(String event) {
    return Events.request("store-results", event).ending();
  }

  private FunctionTagger tagger(boolean enabled, String account, String region) {
    LambdaClient recording =
        new LambdaClient() {
          @Override
          public TagResourceResponse tagResource(TagResourceRequest request) {
            calls.add(request);
            return TagResourceResponse.builder().build();
          }

          @Override
          public String serviceName() {
            return "lambda";
          }

          @Override
          public void close() {}
        };
    return new FunctionTagger(enabled, recording, region, () -> account, new StructuredLog(json, logger));
  }

  @Test
  void tagsFor_whenScanned_expectStatusAndSecondsTime() {
    Map<String, String> tags = FunctionTagger.tagsFor(Ending.SCANNED, record("scanned.json"));

    assertThat(tags)
        .containsExactly(
            Map.entry("qualys-scan:status", "POLICY_DENY"), Map.entry("qualys-scan:time", "2026-11-27T13:03:05Z"));
    assertThat(tags.values()).allMatch(v -> TAG_VALUE.matcher(v).matches());
  }

  @Test
  void tagsFor_whenFailedOrTimedOut_expectTheirStatus() {
    assertThat(FunctionTagger.tagsFor(Ending.FAILED, record("failed.json")))
        .containsEntry("qualys-scan:status", "FAILED");
    assertThat(FunctionTagger.tagsFor(Ending.TIMED_OUT, record("timed-out.json")))
        .containsEntry("qualys-scan:status", "TIMED_OUT");
  }

  @Test
  void tagsFor_whenSkipped_expectNone() {
    assertThat(FunctionTagger.tagsFor(Ending.SKIPPED, record("skipped.json"))).isEmpty();
  }

  @Test
  void tagsFor_whenNoTarget_expectNone() {
    RecordRequest failed = Events.request("store-results", "failed.json");
    PipelineState s = failed.state();
    RecordRequest noTarget =
        new RecordRequest(
            failed.executionArn(),
            failed.ending(),
            new PipelineState(
                s.scanId(), null, s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(), s.record(),
                s.error()));

    assertThat(FunctionTagger.tagsFor(Ending.FAILED, new ResultRecordBuilder().build(noTarget, NOW))).isEmpty();
  }

  @Test
  void timeValue_whenFractionalSeconds_expectTruncatedIsoUtc() {
    assertThat(FunctionTagger.timeValue(Instant.parse("2026-01-02T03:04:05.999Z"))).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(FunctionTagger.timeValue(Instant.parse("2026-01-02T03:04:00Z"))).isEqualTo("2026-01-02T03:04:00Z");
  }

  @Test
  void taggableArn_whenOwnAccountAndRegion_expectUnqualifiedArn() {
    ResultRecord record = record("scanned.json");

    assertThat(FunctionTagger.taggableArn(withArn(record, record.target().functionArn() + ":7"), "123456789012", "us-east-1"))
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders-api");
  }

  @Test
  void taggableArn_whenOtherAccountOrRegion_expectNull() {
    ResultRecord record = record("scanned.json");

    assertThat(FunctionTagger.taggableArn(record, "210987654321", "us-east-1")).isNull();
    assertThat(FunctionTagger.taggableArn(record, "123456789012", "eu-west-1")).isNull();
    assertThat(FunctionTagger.taggableArn(withArn(record, "not-an-arn"), "123456789012", "us-east-1")).isNull();
  }

  @Test
  void tag_whenDisabled_expectNoCall() {
    assertThat(tagger(false, "123456789012", "us-east-1").tag(Ending.SCANNED, record("scanned.json"))).isEqualTo("off");
    assertThat(calls).isEmpty();
  }

  @Test
  void tag_whenScannedInOwnAccount_expectOneCallWithTwoTags() {
    assertThat(tagger(true, "123456789012", "us-east-1").tag(Ending.SCANNED, record("scanned.json")))
        .isEqualTo("tagged");

    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.resource()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders-api");
      assertThat(call.tags()).containsOnlyKeys("qualys-scan:status", "qualys-scan:time");
    });
  }

  @Test
  void tag_whenSkippedOrElsewhere_expectNoCall() {
    assertThat(tagger(true, "123456789012", "us-east-1").tag(Ending.SKIPPED, record("skipped.json"))).isEqualTo("none");
    assertThat(tagger(true, "210987654321", "us-east-1").tag(Ending.SCANNED, record("scanned.json")))
        .isEqualTo("elsewhere");
    assertThat(calls).isEmpty();
  }

  @Test
  void tag_whenAccountLookupFails_expectWarningNotThrow() {
    FunctionTagger failing =
        new FunctionTagger(
            true, null, "us-east-1", () -> { throw new IllegalStateException("sts down"); },
            new StructuredLog(json, logger));

    assertThat(failing.tag(ending("failed.json"), record("failed.json"))).isEqualTo("failed");
    assertThat(logger.all()).contains("cannot tag the scanned function").contains("WARN");
  }

  private static ResultRecord withArn(ResultRecord record, String arn) {
    Target t = record.target();
    return record.withTarget(
        new Target(
            t.partition(), t.accountId(), t.region(), t.functionName(), arn, t.version(), t.packageType(),
            t.runtime(), t.architectures(), t.codeSha256(), t.imageUri(), t.imageDigest(), t.layers(), t.state()));
  }
}
