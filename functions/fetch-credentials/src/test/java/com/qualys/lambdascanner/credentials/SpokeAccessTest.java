package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

class SpokeAccessTest {

  static final String HUB = "123456789012";
  static final String SPOKE = "210987654321";
  static final String ROLE_NAME = "qualys-lambda-scanner-spoke";
  static final String EXTERNAL_ID = "3f1c9a0e5b7d2468ace13579";
  static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-AbCdEf";
  static final String SCAN_ID = "3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17";

  static final FetchCredentialsConfig HUB_MODE =
      new FetchCredentialsConfig(SECRET_ARN, "US1", "us-east-1", ROLE_NAME, EXTERNAL_ID);
  static final FetchCredentialsConfig SINGLE_MODE =
      new FetchCredentialsConfig(SECRET_ARN, "US1", "us-east-1", null, null);

  private final FakeSts sts = new FakeSts(HUB);
  private final CapturingLogger logger = new CapturingLogger();

  static Target target(String partition, String account, String region) {
    return new Target(
        partition, account, region, "orders-api",
        "arn:" + partition + ":lambda:" + region + ":" + account + ":function:orders-api",
        "$LATEST", PackageType.ZIP, "java21", List.of("arm64"), "q5Yb1dY9r0gU7bQ0m7lqz8h3Kx4d2rV8c1sT6nJ0pWk=",
        null, null, List.of(), "Active");
  }

  static Target target(String account, String region) {
    return target("aws", account, region);
  }

  private SpokeAccess sut(FetchCredentialsConfig config) {
    JsonCodec json = new JsonCodec();
    return new SpokeAccess(sts, config, new StructuredLog(json, logger));
  }

  private static StsException stsError(int status, String code) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  void roleArnFor_whenOwnAccountAndRegion_expectNullWithoutAssumeRole() {
    assertThat(sut(HUB_MODE).roleArnFor(SCAN_ID, target(HUB, "us-east-1"))).isNull();

    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenCalledTwice_expectOwnAccountAskedOnce() {
    SpokeAccess sut = sut(HUB_MODE);

    sut.roleArnFor(SCAN_ID, target(HUB, "us-east-1"));
    sut.roleArnFor("second-scan", target(HUB, "us-east-1"));

    assertThat(sts.callerIdentityCalls).isEqualTo(1);
  }

  @Test
  void roleArnFor_whenOtherAccountInHubMode_expectSpokeRoleArnAssumedWithExternalId() {
    String roleArn = sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1"));

    assertThat(roleArn).isEqualTo("arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke");
    assertThat(sts.assumed).hasSize(1);
    AssumeRoleRequest request = sts.assumed.getFirst();
    assertThat(request.roleArn()).isEqualTo(roleArn);
    assertThat(request.externalId()).isEqualTo(EXTERNAL_ID);
    assertThat(request.roleSessionName()).isEqualTo(SCAN_ID);
    assertThat(request.durationSeconds()).isEqualTo(900);
  }

  @Test
  void roleArnFor_whenOtherAccountInHubMode_expectNoCredentialInLog() {
    sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1"));

    assertThat(logger.all())
        .contains("arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke")
        .contains(SCAN_ID)
        .doesNotContain(FakeSts.ACCESS_KEY)
        .doesNotContain(FakeSts.SECRET_KEY)
        .doesNotContain(FakeSts.SESSION_TOKEN)
        .doesNotContain(EXTERNAL_ID);
  }

  @Test
  void roleArnFor_whenOwnAccountOtherRegionInHubMode_expectOwnSpokeRoleWithoutCallerIdentity() {
    String roleArn = sut(HUB_MODE).roleArnFor(SCAN_ID, target(HUB, "eu-west-1"));

    assertThat(roleArn).isEqualTo("arn:aws:iam::123456789012:role/qualys-lambda-scanner-spoke");
    assertThat(sts.assumed).hasSize(1);
    assertThat(sts.callerIdentityCalls).isZero();
  }

  @Test
  void roleArnFor_whenGovCloudTargetFromGovCloudHub_expectGovPartitionArn() {
    var config = new FetchCredentialsConfig(SECRET_ARN, "US1", "us-gov-west-1", ROLE_NAME, EXTERNAL_ID);

    String roleArn = sut(config).roleArnFor(SCAN_ID, target("aws-us-gov", SPOKE, "us-gov-west-1"));

    assertThat(roleArn).isEqualTo("arn:aws-us-gov:iam::210987654321:role/qualys-lambda-scanner-spoke");
  }

  @Test
  void roleArnFor_whenOtherPartition_expectTerminalWithoutAssumeRole() {
    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target("aws-cn", SPOKE, "cn-north-1")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("across partitions");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenAccessDenied_expectTerminalNamingRoleAccountAndHint() {
    sts.failingAssumeWith(stsError(403, "AccessDenied"));

    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke")
        .hasMessageContaining("account 210987654321")
        .hasMessageContaining(
            "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?")
        .hasMessageNotContaining(EXTERNAL_ID);
  }

  @Test
  void roleArnFor_whenThrottled_expectRetryable() {
    sts.failingAssumeWith(stsError(400, "Throttling"));

    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke");
  }

  @Test
  void roleArnFor_whenStsServerError_expectRetryable() {
    sts.failingAssumeWith(stsError(503, "ServiceUnavailable"));

    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void roleArnFor_whenNetworkFails_expectRetryable() {
    sts.failingAssumeWith(SdkClientException.create("connect timed out"));

    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void roleArnFor_whenRegionDisabled_expectTerminal() {
    sts.failingAssumeWith(stsError(403, "RegionDisabledException"));

    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("not activated");
  }

  @Test
  void roleArnFor_whenSingleAccountModeAndOtherAccount_expectTerminalWithoutAssumeRole() {
    assertThatThrownBy(() -> sut(SINGLE_MODE).roleArnFor(SCAN_ID, target(SPOKE, "us-east-1")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-account target arn:aws:lambda:us-east-1:210987654321:function:orders-api")
        .hasMessageContaining("but SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenSingleAccountModeAndOtherRegion_expectTerminal() {
    assertThatThrownBy(() -> sut(SINGLE_MODE).roleArnFor(SCAN_ID, target(HUB, "eu-west-1")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-region target")
        .hasMessageContaining("SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenSingleAccountModeAndOwnAccount_expectNull() {
    assertThat(sut(SINGLE_MODE).roleArnFor(SCAN_ID, target(HUB, "us-east-1"))).isNull();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenRegionUnknown_expectOnlyAccountCompared() {
    var local = new FetchCredentialsConfig(SECRET_ARN, "US1");

    assertThat(sut(local).roleArnFor(SCAN_ID, target(HUB, "eu-west-1"))).isNull();
  }

  @Test
  void roleArnFor_whenNoTarget_expectNullWithoutStsCall() {
    assertThat(sut(HUB_MODE).roleArnFor(SCAN_ID, null)).isNull();
    assertThat(sts.callerIdentityCalls).isZero();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenAccountMalformed_expectInvalidInput() {
    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target("21098765432:role/x", "us-east-1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("target.accountId");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleArnFor_whenAccountMissing_expectInvalidInput() {
    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target(null, "us-east-1")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void roleArnFor_whenPartitionUnknown_expectInvalidInput() {
    assertThatThrownBy(() -> sut(HUB_MODE).roleArnFor(SCAN_ID, target("aws-iso", SPOKE, "us-east-1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("target.partition");
  }

  @Test
  void roleArnFor_whenCallerIdentityThrottled_expectRetryableThenAskedAgain() {
    sts.failingIdentityWith(stsError(400, "Throttling"));
    SpokeAccess sut = sut(HUB_MODE);

    assertThatThrownBy(() -> sut.roleArnFor(SCAN_ID, target(HUB, "us-east-1")))
        .isInstanceOf(RetryableException.class);
    sts.failingIdentityWith(null);
    assertThat(sut.roleArnFor(SCAN_ID, target(HUB, "us-east-1"))).isNull();
    assertThat(sts.callerIdentityCalls).isEqualTo(2);
  }

  @Test
  void sessionName_whenScanIdValid_expectScanId() {
    assertThat(SpokeAccess.sessionName(SCAN_ID)).isEqualTo(SCAN_ID);
  }

  @Test
  void sessionName_whenScanIdTooLongWithBadChars_expectValidDistinctNames() {
    String base = "manual:" + "x".repeat(70);

    String a = SpokeAccess.sessionName(base + "a");
    String b = SpokeAccess.sessionName(base + "b");

    assertThat(a).matches("[\\w+=,.@-]{2,64}");
    assertThat(b).matches("[\\w+=,.@-]{2,64}");
    assertThat(a).isNotEqualTo(b).startsWith("manual-xx");
  }

  @Test
  void sessionName_whenScanIdMissing_expectValidName() {
    assertThat(SpokeAccess.sessionName(null)).matches("[\\w+=,.@-]{2,64}");
  }
}
