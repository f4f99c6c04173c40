package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageAttributesTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");

  private ScanSummary summary(RecordRequest request) {
    return new SummaryBuilder(new JsonCodec())
        .build(new ResultRecordBuilder().build(request, NOW), request.state().record())
        .summary();
  }

  @Test
  void of_whenDenied_expectFilterableAttributes() {
    var attributes = MessageAttributes.of(summary(Fixtures.scanned()));

    assertThat(attributes.get("highestSeverity").dataType()).isEqualTo("Number");
    assertThat(attributes.get("highestSeverity").stringValue()).isEqualTo("5");
    assertThat(attributes.get("status").stringValue()).isEqualTo("POLICY_DENY");
    assertThat(attributes.get("accountId").stringValue()).isEqualTo("123456789012");
    assertThat(attributes.get("region").stringValue()).isEqualTo("us-east-1");
    assertThat(attributes.get("functionName").stringValue()).isEqualTo("orders-api");
    assertThat(attributes.get("policyResult").stringValue()).isEqualTo("DENY");
  }

  @Test
  void of_whenTargetUnknown_expectEmptyValuesLeftOut() {
    RecordRequest failed = Events.request("notify", "failed.json");

    var attributes = MessageAttributes.of(summary(Fixtures.withTarget(failed, null)));

    assertThat(attributes).containsOnlyKeys("status", "highestSeverity", "newHighestSeverity", "alert", "risk");
    assertThat(attributes.get("highestSeverity").stringValue()).isEqualTo("0");
    assertThat(attributes.values()).allMatch(v -> !v.stringValue().isEmpty());
  }
}
