package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.TaskError;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

  private static final Instant NOW = Instant.parse("2026-11-28T00:00:05Z");
  private final ResultRecordBuilder builder = new ResultRecordBuilder();

  @Test
  void resultKey_whenScanned_expectHivePartitionsFromTriggerDate() {
    ResultRecord record = builder.build(Events.request("store-results", "scanned.json"), NOW);

    assertThat(RecordKeys.resultKey(record))
        .isEqualTo(
            "results/account=123456789012/region=us-east-1/date=2026-11-27/3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17.json");
    assertThat(RecordKeys.latestKey(record)).isEqualTo("latest/123456789012/us-east-1/orders-api.json");
  }

  @Test
  void latestKey_whenSkipped_expectNull() {
    assertThat(RecordKeys.latestKey(builder.build(Events.request("store-results", "skipped.json"), NOW))).isNull();
  }

  @Test
  void keys_whenTargetUnknown_expectUnknownPartitionsAndNoLatest() {
    PipelineState raw = new PipelineState(null, null, null, null, null, null, null, null, new TaskError("X", null));
    ResultRecord record =
        builder.build(
            new RecordRequest("arn:aws:states:us-east-1:123456789012:execution:sm:exec-1", Ending.FAILED, raw), NOW);

    assertThat(RecordKeys.resultKey(record))
        .isEqualTo("results/account=unknown/region=unknown/date=2026-11-28/exec-1.json");
    assertThat(RecordKeys.latestKey(record)).isNull();
  }

  @Test
  void claimKey_whenDedupKey_expectSha256Hex() {
    // printf 'abc' | sha256sum
    assertThat(RecordKeys.claimKey("abc"))
        .isEqualTo("claims/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json");
  }
}
