package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpokeRoleTest {

  /** STS's RoleSessionName rule. */
  private static final String SESSION_NAME = "[\\w+=,.@-]{2,64}";

  @Test
  void arn_whenCommercialTarget_isTheRoleInTheTargetsAccount() {
    Target target = TestSupport.zipTarget("210987654321", "eu-west-1", "fn");

    assertThat(SpokeRole.arn(target, "qualys-lambda-scanner-spoke"))
        .isEqualTo("arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke");
  }

  @Test
  void arn_whenGovCloudTarget_usesTheTargetsPartition() {
    Target fn = TestSupport.zipTarget("210987654321", "us-gov-west-1", "fn");
    Target gov =
        new Target(
            "aws-us-gov", fn.accountId(), fn.region(), fn.functionName(),
            "arn:aws-us-gov:lambda:us-gov-west-1:210987654321:function:fn", fn.version(), fn.packageType(),
            fn.runtime(), fn.architectures(), fn.codeSha256(), null, null, List.of(), "Active");

    assertThat(SpokeRole.arn(gov, "spoke")).isEqualTo("arn:aws-us-gov:iam::210987654321:role/spoke");
  }

  @Test
  void sessionName_whenUuidScanId_isPrefixAndTheWholeId() {
    String sut = SpokeRole.sessionName("3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");

    assertThat(sut).isEqualTo("qscanner-3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f").matches(SESSION_NAME);
  }

  @Test
  void sessionName_whenOneCharacterScanId_isLongEnoughForSts() {
    assertThat(SpokeRole.sessionName("a")).isEqualTo("qscanner-a").matches(SESSION_NAME);
  }

  @Test
  void sessionName_whenExactlyFitting_isNotHashed() {
    String id = "x".repeat(SpokeRole.MAX_SESSION_NAME - SpokeRole.SESSION_PREFIX.length());

    assertThat(SpokeRole.sessionName(id)).isEqualTo("qscanner-" + id).hasSize(64);
  }

  @Test
  void sessionName_whenScanIdTooLong_cutTo64ValidCharactersAndStillDistinct() {
    String common = "execution-name-with-a-long-common-start-0123456789-abcdefghij-";
    String first = SpokeRole.sessionName(common + "first_run");
    String second = SpokeRole.sessionName(common + "second_run");

    assertThat(first).hasSize(64).matches(SESSION_NAME).startsWith("qscanner-execution-name");
    assertThat(second).hasSize(64).matches(SESSION_NAME);
    assertThat(first).isNotEqualTo(second);
    assertThat(SpokeRole.sessionName(common + "first_run")).isEqualTo(first);
  }

  @Test
  void durationSeconds_whenScanIsShort_isStsMinimum() {
    assertThat(SpokeRole.durationSeconds(Duration.ofSeconds(275))).isEqualTo(900);
  }

  @Test
  void durationSeconds_whenScanIsLong_coversItWithSlack() {
    assertThat(SpokeRole.durationSeconds(Duration.ofSeconds(1200))).isEqualTo(1260);
  }

  @Test
  void durationSeconds_whenFractionOfASecond_roundsUp() {
    assertThat(SpokeRole.durationSeconds(Duration.ofMillis(1_200_001))).isEqualTo(1261);
  }

  @Test
  void durationSeconds_whenBeyondTheRolesMaximum_isOneHour() {
    assertThat(SpokeRole.durationSeconds(Duration.ofHours(2))).isEqualTo(3600);
  }
}
