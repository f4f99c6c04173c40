package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.ExposureFact.Answer;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record keeps Resolve Target's exposure facts, their attacker-written text redacted. */
class ExposureRecordTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");

  @Test
  void build_whenStateCarriesExposure_expectationRecordKeepsItWithEvidence() {
    ResultRecord record = new ResultRecordBuilder().build(Events.request("store-results", "scanned.json"), NOW);

    assertThat(record.exposure().adminRole().answer()).isEqualTo(Answer.YES);
    assertThat(record.exposure().adminRole().evidence())
        .containsExactly("AWS managed arn:aws:iam::aws:policy/AdministratorAccess attached");
    assertThat(record.exposure().publicUrl().answer()).isEqualTo(Answer.NO);
    assertThat(new JsonCodec().toJson(record)).contains("\"exposure\":{\"publicUrl\":{\"answer\":\"NO\"");
  }

  @Test
  void build_whenEvidenceCarriesASecretShape_expectationRedacted() {
    RecordRequest sample = Events.request("store-results", "scanned.json");
    PipelineState s = sample.state();
    String key = "AKIAIOSFODNN7EXAMPLE";
    Exposure crafted = new Exposure(ExposureFact.no("none"), ExposureFact.yes("public",
        List.of("resource policy Sid aws_access_key_id=" + key + ": Principal *")), ExposureFact.no("none"),
        ExposureFact.no("none"), ExposureFact.no("none"));
    PipelineState state = new PipelineState(s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(),
        s.credentials(), s.scan(), s.record(), s.error(), crafted);

    ResultRecord record = new ResultRecordBuilder()
        .build(new RecordRequest(sample.executionArn(), sample.ending(), state), NOW);

    assertThat(record.exposure().publicInvoke().evidence()).singleElement().asString().doesNotContain(key)
        .contains("Principal *");
  }

  @Test
  void build_whenNoExposureInState_expectationNull() {
    RecordRequest sample = Events.request("store-results", "skipped.json");

    assertThat(new ResultRecordBuilder().build(sample, NOW).exposure()).isNull();
  }
}
