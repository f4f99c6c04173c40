package com.qualys.lambdascanner.spoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Hub mode's shared rules over a fake STS: whose credentials read a target, the spoke role and its session, STS's
 * errors. Moved here from the three functions that each had their own copy (Resolve Target's TargetAccessTest, Fetch
 * Credentials' SpokeAccessTest, Run QScanner's SpokeRoleTest and AssumedRoleCredentialsTest).
 */
class SpokeAccessTest {

  private static final String HUB = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String ROLE = "qualys-lambda-scanner-spoke";
  private static final String EXTERNAL_ID = "3f1c9a0e5b7d2468ace13579bdf02468ace13579bdf0";
  private static final String SPOKE_ROLE_ARN = "arn:aws:iam::" + SPOKE + ":role/" + ROLE;
  private static final String SCAN_ID = "3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17";
  private static final SpokeSettings HUB_MODE = new SpokeSettings(ROLE, EXTERNAL_ID);

  /** STS's RoleSessionName rule. */
  private static final String SESSION_NAME = "[\\w+=,.@-]{2,64}";

  private final FakeSts sts = new FakeSts(HUB);

  private SpokeAccess hub() {
    return new SpokeAccess(HUB_MODE, "us-east-1", sts);
  }

  private SpokeAccess single() {
    return new SpokeAccess(SpokeSettings.SINGLE_ACCOUNT, "us-east-1", sts);
  }

  private static String arn(String partition, String account, String region) {
    return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:orders-api";
  }

  private static SpokeRole roleFor(SpokeAccess sut, String account, String region) {
    return roleFor(sut, "aws", account, region);
  }

  private static SpokeRole roleFor(SpokeAccess sut, String partition, String account, String region) {
    return sut.roleFor(partition, account, region, arn(partition, account, region));
  }

  private static StsException stsError(int status, String code) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .message("User arn:aws:sts::123456789012:assumed-role/x is not authorized")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  private Throwable assumeFailing(RuntimeException failure) {
    sts.failingWith(failure);
    SpokeAccess sut = hub();
    return catchThrowable(() -> sut.assume(roleFor(sut, SPOKE, "eu-west-1"), SCAN_ID, SpokeAccess.MIN_SESSION));
  }

  // Whose credentials read a target.

  @Test
  void roleFor_whenOwnAccountAndRegionInHubMode_usesOwnRoleWithoutAssuming() {
    assertThat(roleFor(hub(), HUB, "us-east-1")).isNull();

    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOtherAccountInHubMode_isTheSpokeRoleInTheTargetsAccount() {
    SpokeRole role = roleFor(hub(), SPOKE, "eu-west-1");

    assertThat(role.arn()).isEqualTo(SPOKE_ROLE_ARN);
    assertThat(role.accountId()).isEqualTo(SPOKE);
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOwnAccountOtherRegionInHubMode_spokeRoleOfOwnAccountWithoutCallerIdentity() {
    SpokeRole role = roleFor(hub(), HUB, "eu-west-1");

    assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/qualys-lambda-scanner-spoke");
    assertThat(sts.callerIdentityCalls).isZero();
  }

  @Test
  void roleFor_whenNoAccountNamedInOtherRegionInHubMode_assumesSpokeRoleOfOwnAccount() {
    SpokeRole role = hub().roleFor("aws", null, "eu-west-1", "orders-api in eu-west-1");

    assertThat(role.arn()).isEqualTo("arn:aws:iam::" + HUB + ":role/" + ROLE);
  }

  @Test
  void roleFor_whenNoAccountNamedInOwnRegion_usesOwnRoleWithoutAskingSts() {
    assertThat(hub().roleFor("aws", null, "us-east-1", "orders-api in us-east-1")).isNull();

    assertThat(sts.callerIdentityCalls).isZero();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOtherRegionNamedWithAccountInHubMode_doesNotNeedOwnAccount() {
    roleFor(hub(), SPOKE, "eu-west-1");

    assertThat(sts.callerIdentityCalls).isZero();
  }

  @Test
  void roleFor_whenAskedManyTimes_asksOwnAccountOnce() {
    SpokeAccess single = single();
    roleFor(single, HUB, "us-east-1");
    roleFor(single, HUB, "us-east-1");
    SpokeAccess hub = hub();
    roleFor(hub, HUB, "us-east-1");
    roleFor(hub, SPOKE, "us-east-1");

    assertThat(sts.callerIdentityCalls).isEqualTo(2);
  }

  @Test
  void roleFor_whenGovCloudTargetFromGovCloudHub_govPartitionArn() {
    SpokeAccess sut = new SpokeAccess(HUB_MODE, "us-gov-west-1", sts);

    assertThat(roleFor(sut, "aws-us-gov", SPOKE, "us-gov-west-1").arn())
        .isEqualTo("arn:aws-us-gov:iam::210987654321:role/qualys-lambda-scanner-spoke");
    assertThat(sut.spokeRoleIn("aws-us-gov", SPOKE).arn())
        .isEqualTo("arn:aws-us-gov:iam::210987654321:role/qualys-lambda-scanner-spoke");
  }

  @Test
  void roleFor_whenTargetInAnotherPartition_isTerminalWithoutAssuming() {
    assertThatThrownBy(() -> roleFor(hub(), "aws-cn", SPOKE, "cn-north-1"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("partition aws-cn")
        .hasMessageContaining("across partitions");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOtherAccountInSingleAccountMode_isTerminalWithoutAssuming() {
    assertThatThrownBy(() -> roleFor(single(), SPOKE, "eu-west-1"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-account target arn:aws:lambda:eu-west-1:" + SPOKE + ":function:orders-api")
        .hasMessageContaining("but SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThatThrownBy(() -> roleFor(single(), SPOKE, "us-east-1"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-account target arn:aws:lambda:us-east-1:210987654321:function:orders-api")
        .hasMessageContaining("but SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOtherRegionInSingleAccountMode_isTerminalWithoutAssuming() {
    assertThatThrownBy(() -> roleFor(single(), HUB, "eu-west-1"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-region target")
        .hasMessageContaining("SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenOwnAccountAndRegionInSingleAccountMode_usesOwnRole() {
    assertThat(roleFor(single(), HUB, "us-east-1")).isNull();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void roleFor_whenRegionUnknown_onlyAccountCompared() {
    SpokeAccess local = new SpokeAccess(SpokeSettings.SINGLE_ACCOUNT, null, sts);

    assertThat(roleFor(local, HUB, "eu-west-1")).isNull();
  }

  @Test
  void spokeRoleIn_whenSingleAccountMode_refused() {
    assertThatThrownBy(() -> single().spokeRoleIn("aws", SPOKE)).isInstanceOf(IllegalStateException.class);
  }

  // The own account.

  @Test
  void ownAccount_whenCallerIdentityThrottled_retryableThenAskedAgain() {
    sts.failingIdentityWith(stsError(400, "Throttling"));
    SpokeAccess sut = hub();

    assertThatThrownBy(() -> roleFor(sut, HUB, "us-east-1")).isInstanceOf(RetryableException.class);
    sts.failingIdentityWith(null);
    assertThat(roleFor(sut, HUB, "us-east-1")).isNull();
    assertThat(sts.callerIdentityCalls).isEqualTo(2);
  }

  @Test
  void ownAccount_whenCallerIdentityUnreachable_retryable() {
    sts.failingIdentityWith(SdkClientException.create("connect timed out"));

    assertThatThrownBy(() -> hub().ownAccount()).isInstanceOf(RetryableException.class);
  }

  // Assuming the spoke role.

  @Test
  void assume_whenOtherAccount_asksForTheSpokeRoleWithExternalIdScanSessionAndDuration() {
    SpokeAccess sut = hub();

    Credentials credentials = sut.assume(roleFor(sut, SPOKE, "eu-west-1"), SCAN_ID, Duration.ofSeconds(275));

    assertThat(sts.assumed).hasSize(1);
    AssumeRoleRequest request = sts.assumed.getFirst();
    assertThat(request.roleArn()).isEqualTo(SPOKE_ROLE_ARN);
    assertThat(request.externalId()).isEqualTo(EXTERNAL_ID);
    assertThat(request.roleSessionName()).isEqualTo(SCAN_ID);
    assertThat(request.durationSeconds()).isEqualTo(900);
    assertThat(credentials.accessKeyId()).isEqualTo(FakeSts.ACCESS_KEY_PREFIX + 1);
  }

  /** moto assumes any role: a missing spoke role (or a wrong external id) can only be played by a fake STS. */
  @Test
  void assume_whenAccessDenied_terminalNamingRoleAccountAndTheSpokeHint() {
    Throwable thrown = assumeFailing(stsError(403, "AccessDenied"));

    assertThat(thrown)
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(SPOKE_ROLE_ARN)
        .hasMessageContaining("account " + SPOKE)
        .hasMessageContaining(
            "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?");
    assertThat(thrown.getMessage()).doesNotContain(EXTERNAL_ID).doesNotContain("\n");
  }

  @ParameterizedTest
  @CsvSource({"400, Throttling", "429, TooManyRequests", "500, InternalFailure", "503, ServiceUnavailable"})
  void assume_whenStsThrottlesOrFails_retryableNamingCallRoleAndCode(int status, String code) {
    assertThat(assumeFailing(stsError(status, code)))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("sts:AssumeRole")
        .hasMessageContaining(SPOKE_ROLE_ARN)
        .hasMessageContaining(code);
  }

  @Test
  void assume_whenStsUnreachable_retryable() {
    assertThat(assumeFailing(SdkClientException.create("connect timed out"))).isInstanceOf(RetryableException.class);
  }

  @Test
  void assume_whenRegionDisabled_terminalWithTheCode() {
    assertThat(assumeFailing(stsError(403, "RegionDisabledException")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("not activated")
        .hasMessageContaining("RegionDisabledException")
        .hasMessageContaining(SPOKE_ROLE_ARN);
  }

  @Test
  void assumeFailure_whenWrappedByAProvider_decidedByTheServiceErrorInside() {
    SpokeRole role = hub().spokeRoleIn("aws", SPOKE);

    assertThat(SpokeAccess.assumeFailure(new IllegalStateException(stsError(503, "ServiceUnavailable")), role))
        .isInstanceOf(RetryableException.class);
  }

  // Session names and durations.

  @ParameterizedTest
  @ValueSource(strings = {"7c4d2f6e-8b9a-4d1c-94c5-3a4b5c6d7e08", "manual.2026-11-20_10-16", "ab", SCAN_ID, "scan-42"})
  void sessionName_whenScanIdFits_isTheScanId(String scanId) {
    assertThat(SpokeAccess.sessionName(scanId)).isEqualTo(scanId);
  }

  @Test
  void sessionName_whenExactlyFitting_isNotHashed() {
    String id = "x".repeat(64);

    assertThat(SpokeAccess.sessionName(id)).isEqualTo(id).hasSize(64);
  }

  @Test
  void sessionName_whenScanIdTooLong_isBoundedValidAndDistinct() {
    String a = "a".repeat(70) + "-1";
    String b = "a".repeat(70) + "-2";

    String nameA = SpokeAccess.sessionName(a);
    String nameB = SpokeAccess.sessionName(b);

    assertThat(nameA).hasSizeLessThanOrEqualTo(64).matches(SESSION_NAME).startsWith("aaaa");
    assertThat(nameB).hasSizeLessThanOrEqualTo(64).isNotEqualTo(nameA);
  }

  @Test
  void sessionName_whenScanIdTooLong_cutTo64ValidCharactersAndStillDistinct() {
    String common = "execution-name-with-a-long-common-start-0123456789-abcdefghij-";
    String first = SpokeAccess.sessionName(common + "first_run");
    String second = SpokeAccess.sessionName(common + "second_run");

    assertThat(first).hasSize(64).matches(SESSION_NAME).startsWith("execution-name");
    assertThat(second).hasSize(64).matches(SESSION_NAME);
    assertThat(first).isNotEqualTo(second);
    assertThat(SpokeAccess.sessionName(common + "first_run")).isEqualTo(first);
  }

  @Test
  void sessionName_whenScanIdTooLongWithBadChars_validDistinctNames() {
    String base = "manual:" + "x".repeat(70);

    String a = SpokeAccess.sessionName(base + "a");
    String b = SpokeAccess.sessionName(base + "b");

    assertThat(a).matches(SESSION_NAME);
    assertThat(b).matches(SESSION_NAME);
    assertThat(a).isNotEqualTo(b).startsWith("manual-xx");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "a", "scan id/with spaces"})
  void sessionName_whenScanIdHasOtherCharactersOrIsShort_isValid(String scanId) {
    assertThat(SpokeAccess.sessionName(scanId)).matches(SESSION_NAME);
  }

  @Test
  void sessionName_whenScanIdMissing_validName() {
    assertThat(SpokeAccess.sessionName(null)).matches(SESSION_NAME);
  }

  @Test
  void durationSeconds_whenShort_isStsMinimum() {
    assertThat(SpokeAccess.durationSeconds(Duration.ofSeconds(275))).isEqualTo(900);
  }

  @Test
  void durationSeconds_whenBeyondTheRolesMaximum_isOneHour() {
    assertThat(SpokeAccess.durationSeconds(Duration.ofHours(2))).isEqualTo(3600);
  }

  @Test
  void durationSeconds_whenFractionOfASecond_roundsUp() {
    assertThat(SpokeAccess.durationSeconds(Duration.ofMillis(1_200_001))).isEqualTo(1201);
  }
}
