package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExitCodesTest {

  @ParameterizedTest
  @CsvSource({
    "0, get-report, COMPLETED",
    "0, evaluate-policy, POLICY_ALLOW",
    "42, evaluate-policy, POLICY_DENY",
    "43, evaluate-policy, POLICY_AUDIT",
    "40, get-report, PARTIAL"
  })
  void outcome_whenScanRanToItsEnd_mapsToOutcome(int exitCode, String mode, Outcome expected) {
    assertThat(ExitCodes.outcome(exitCode, mode)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 10, 11, 21, 30, 39, 41, 99, 137})
  void outcome_whenFailureCode_isNull(int exitCode) {
    assertThat(ExitCodes.outcome(exitCode, Config.GET_REPORT)).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {30, 33, 39, 41})
  void retryable_whenOutputOrPolicyFetchFailed_isTrue(int exitCode) {
    assertThat(ExitCodes.retryable(exitCode)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 10, 21, 29, 40, 42, 44})
  void retryable_whenOtherCode_isFalse(int exitCode) {
    assertThat(ExitCodes.retryable(exitCode)).isFalse();
  }

  @Test
  void meaning_whenExit10_namesTheGetFunctionPermission() {
    assertThat(ExitCodes.meaning(10)).contains("lambda:GetFunction");
  }
}
