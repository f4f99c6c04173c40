package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.Events;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class QuarantineTest {

  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";

  private final CapturingLogger logger = new CapturingLogger();

  /** A POLICY_DENY record for orders-api (events/store-results/scanned.json). */
  private static ResultRecord denied() {
    return new ResultRecordBuilder().build(Events.request("store-results", "scanned.json"),
        Instant.parse("2026-11-27T13:03:05Z"));
  }

  /** No Lambda reachable (any call ends FAILED): refusing an own function must decide before any call. */
  private Quarantine quarantine(Set<String> own) {
    return new Quarantine(true, () -> {
      throw SdkClientException.create("no Lambda here");
    }, "us-east-1", () -> "123456789012", own, new StructuredLog(new JsonCodec(), logger));
  }

  @Test
  void apply_whenDeniedFunctionIsOneOfTheScannersOwnByName_expectationRefusedWithoutAnyCall() {
    QuarantineResult result = quarantine(StoreResultsConfig.ownFunctionNames("stack-Notify-1, orders-api", ""))
        .apply(denied());

    assertThat(result.status()).isEqualTo(QuarantineResult.REFUSED_OWN_FUNCTION);
    assertThat(logger.all()).contains("not quarantined").contains(ARN);
  }

  @Test
  void apply_whenDeniedFunctionIsStoreResultsItself_expectationRefused() {
    QuarantineResult result = quarantine(StoreResultsConfig.ownFunctionNames("stack-Notify-1", "orders-api"))
        .apply(denied());

    assertThat(result.status()).isEqualTo(QuarantineResult.REFUSED_OWN_FUNCTION);
  }

  @Test
  void apply_whenDeniedTenantFunctionIsNotOwn_expectationQuarantineAttempted() {
    // A name that only contains an own name is not it; the attempt reaches Lambda (here: no client, so FAILED).
    QuarantineResult result = quarantine(StoreResultsConfig.ownFunctionNames("orders", "orders-api-x"))
        .apply(denied());

    assertThat(result.status()).isEqualTo(QuarantineResult.FAILED);
    assertThat(result.detail()).isEqualTo("SdkClientException");
  }

  @Test
  void ownFunctionNames_whenListedWithSpacesAndEmptyParts_expectationTheNamesAndItsOwn() {
    assertThat(StoreResultsConfig.ownFunctionNames(" a, ,b,", "store")).containsExactly("a", "b", "store");
    assertThat(StoreResultsConfig.ownFunctionNames("", "")).isEmpty();
  }

  @Test
  void releaseCommand_whenNoReservedConcurrencyBefore_expectationDeletesItAndTheTags() {
    assertThat(Quarantine.releaseCommand(ARN, null)).isEqualTo(
        "aws lambda delete-function-concurrency --function-name " + ARN
            + " && aws lambda untag-resource --resource " + ARN
            + " --tag-keys qualys-scan:quarantined qualys-scan:quarantine-reason qualys-scan:previous-concurrency");
  }

  @Test
  void releaseCommand_whenReservedBefore_expectationRestoresIt() {
    assertThat(Quarantine.releaseCommand(ARN, 7))
        .startsWith("aws lambda put-function-concurrency --function-name " + ARN + " --reserved-concurrent-executions 7 && ");
  }
}
