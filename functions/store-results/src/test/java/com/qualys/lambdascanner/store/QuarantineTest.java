package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuarantineTest {

  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";

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
