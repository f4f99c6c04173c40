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

  /** The README's "Exit Codes" table, output handler rows: only the uploads to Qualys are worth a retry. */
  @ParameterizedTest
  @CsvSource({
    "30, false, JSON result handler",
    "31, false, changelist creation",
    "32, false, changelist compression",
    "33, true, changelist upload to Qualys",
    "34, false, SPDX handler",
    "35, false, CycloneDX handler",
    "36, false, SBOM compression",
    "37, true, SBOM upload to Qualys",
    "38, false, secret result creation",
    "39, true, secret result upload to Qualys"
  })
  void retryable_whenOutputHandlerFailed_onlyUploadsToQualys(int exitCode, boolean retryable, String meaning) {
    assertThat(ExitCodes.retryable(exitCode)).isEqualTo(retryable);
    assertThat(ExitCodes.meaning(exitCode)).contains(meaning);
    assertThat(ExitCodes.outcome(exitCode, Config.GET_REPORT)).isNull();
  }

  @Test
  void retryable_whenPolicyResultFetchFailed_isTrue() {
    assertThat(ExitCodes.retryable(41)).isTrue();
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
