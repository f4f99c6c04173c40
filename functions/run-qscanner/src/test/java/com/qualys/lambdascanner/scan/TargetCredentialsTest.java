package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.FakeSts;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

class TargetCredentialsTest {

  private static final String ROLE = "qualys-lambda-scanner-spoke";
  private static final String SPOKE = "210987654321";
  private static final Target SPOKE_TARGET = TestSupport.zipTarget(SPOKE, "eu-west-1", "fn");
  private static final Target HOME_TARGET = TestSupport.zipTarget("fn");
  private static final String SPOKE_ROLE_ARN = "arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke";
  private static final AwsCredentials OWN = AwsBasicCredentials.create("AKIAOWNOWNOWNOWNOWN1", "own-secret-key-1");
  private static final AwsCredentials ASSUMED =
      AwsBasicCredentials.create("ASIAASSUMEDASSUMED01", "assumed-secret-key");

  private final List<String> calls = new ArrayList<>();
  private final ScannerCredentials own = (id, target, refs, validFor) -> record("own", OWN);
  private final ScannerCredentials assumed = (id, target, refs, validFor) -> record("assumed", ASSUMED);

  private AwsCredentials record(String call, AwsCredentials credentials) {
    calls.add(call);
    return credentials;
  }

  private TargetCredentials hub() {
    SpokeAccess spokes =
        new SpokeAccess(
            new SpokeSettings(ROLE, "hub-external-id-42"),
            TestSupport.REGION,
            new FakeSts(TestSupport.ACCOUNT),
            () -> {
              calls.add("home");
              return TestSupport.ACCOUNT;
            });
    return new TargetCredentials(spokes, own, assumed);
  }

  private TargetCredentials singleAccount() {
    SpokeAccess spokes =
        new SpokeAccess(
            SpokeSettings.SINGLE_ACCOUNT,
            TestSupport.REGION,
            new FakeSts(TestSupport.ACCOUNT),
            () -> {
              throw new AssertionError("single-account mode must not ask STS");
            });
    return new TargetCredentials(spokes, own, assumed);
  }

  private static CredentialRefs refs(String roleArn) {
    return new CredentialRefs("arn:secret", "v1", "US1", AuthKind.ACCESS_TOKEN, roleArn);
  }

  private AwsCredentials scan(TargetCredentials sut, Target target, String roleArn) {
    sut.check(target, refs(roleArn));
    return sut.forTarget("scan-1", target, refs(roleArn), Duration.ofSeconds(300));
  }

  @Test
  void forTarget_whenRoleArnIsTheSpokeRoleOfTheTargetsAccount_assumesIt() {
    assertThat(scan(hub(), SPOKE_TARGET, SPOKE_ROLE_ARN)).isSameAs(ASSUMED);
    assertThat(calls).containsExactly("assumed");
  }

  @Test
  void forTarget_whenRoleArnIsTheSpokeRoleOfTheHomeAccount_assumesIt() {
    String homeRole = "arn:aws:iam::123456789012:role/qualys-lambda-scanner-spoke";

    assertThat(scan(hub(), HOME_TARGET, homeRole)).isSameAs(ASSUMED);
  }

  @Test
  void check_whenRoleArnNamesAnotherRole_invalidInputBeforeAnyCall() {
    String admin = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole";

    assertThatThrownBy(() -> hub().check(SPOKE_TARGET, refs(admin)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("expected " + SPOKE_ROLE_ARN)
        .hasMessageNotContaining("OrganizationAccountAccessRole");
    assertThat(calls).isEmpty();
  }

  @Test
  void check_whenRoleArnIsInAnotherAccount_invalidInput() {
    String elsewhere = "arn:aws:iam::999999999999:role/qualys-lambda-scanner-spoke";

    assertThatThrownBy(() -> hub().check(SPOKE_TARGET, refs(elsewhere))).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void check_whenRoleArnIsInAnotherPartition_invalidInput() {
    String china = "arn:aws-cn:iam::210987654321:role/qualys-lambda-scanner-spoke";

    assertThatThrownBy(() -> hub().check(SPOKE_TARGET, refs(china))).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void check_whenRoleArnHasAPathOrDiffersInCaseOrSpace_invalidInput() {
    for (String nearMiss :
        List.of(
            "arn:aws:iam::210987654321:role/x/qualys-lambda-scanner-spoke",
            "arn:aws:iam::210987654321:role/Qualys-Lambda-Scanner-Spoke",
            SPOKE_ROLE_ARN + " ",
            "arn:aws:sts::210987654321:assumed-role/qualys-lambda-scanner-spoke/s")) {
      assertThatThrownBy(() -> hub().check(SPOKE_TARGET, refs(nearMiss)))
          .as(nearMiss)
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void forTarget_whenRoleArnIsForged_neverAssumes() {
    String admin = "arn:aws:iam::210987654321:role/admin";

    assertThatThrownBy(() -> hub().forTarget("scan-1", SPOKE_TARGET, refs(admin), Duration.ofSeconds(300)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(calls).isEmpty();
  }

  @Test
  void check_whenSingleAccountModeAndRoleArn_terminalSayingSo() {
    assertThatThrownBy(() -> singleAccount().check(SPOKE_TARGET, refs(SPOKE_ROLE_ARN)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("single-account mode")
        .hasMessageContaining("SPOKE_ROLE_NAME");
    assertThat(calls).isEmpty();
  }

  @Test
  void forTarget_whenHubModeAndSpokeTargetInTheHomeRegionWithoutRoleArn_terminalNamingBothAccounts() {
    Target spokeInHomeRegion = TestSupport.zipTarget(SPOKE, TestSupport.REGION, "fn");

    assertThatThrownBy(() -> scan(hub(), spokeInHomeRegion, null))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("account 210987654321")
        .hasMessageContaining("123456789012")
        .hasMessageContaining("roleArn is missing")
        .hasMessageContaining("expected " + SPOKE_ROLE_ARN);
    assertThat(calls).containsExactly("home");
  }

  @Test
  void forTarget_whenHubModeAndSpokeTargetElsewhereWithoutRoleArn_terminalWithoutAskingSts() {
    assertThatThrownBy(() -> scan(hub(), SPOKE_TARGET, null))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("account 210987654321, region eu-west-1")
        .hasMessageContaining("roleArn is missing");
    assertThat(calls).isEmpty();
  }

  @Test
  void forTarget_whenHubModeAndHomeTargetWithoutRoleArn_ownCredentials() {
    assertThat(scan(hub(), HOME_TARGET, null)).isSameAs(OWN);
    assertThat(calls).containsExactly("home", "own");
  }

  @Test
  void forTarget_whenHubModeAndHomeAccountInAnotherRegionWithoutRoleArn_terminalWithoutAskingSts() {
    Target otherRegion = TestSupport.zipTarget(TestSupport.ACCOUNT, "eu-west-1", "fn");

    assertThatThrownBy(() -> scan(hub(), otherRegion, null))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("region eu-west-1")
        .hasMessageContaining("expected arn:aws:iam::123456789012:role/qualys-lambda-scanner-spoke");
    assertThat(calls).isEmpty();
  }

  @Test
  void forTarget_whenHubModeAndHomeAccountInAnotherRegionWithTheRole_assumesIt() {
    Target otherRegion = TestSupport.zipTarget(TestSupport.ACCOUNT, "eu-west-1", "fn");
    String homeRole = "arn:aws:iam::123456789012:role/qualys-lambda-scanner-spoke";

    assertThat(scan(hub(), otherRegion, homeRole)).isSameAs(ASSUMED);
  }

  @Test
  void forTarget_whenSingleAccountModeWithoutRoleArn_ownCredentialsWithoutAskingSts() {
    assertThat(scan(singleAccount(), HOME_TARGET, null)).isSameAs(OWN);
    assertThat(calls).containsExactly("own");
  }
}
