package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.FakeSts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Resolve Target's own part of hub mode, over the SDK's real assume-role provider and a fake STS: a cached provider
 * per spoke role, and STS failures named as such through it. The decision itself (own role, spoke role or refusal),
 * session names and STS's error mapping are spoke-access's, tested there (SpokeAccessTest).
 */
class TargetAccessTest {

  private static final String HUB = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String ROLE = "qualys-lambda-scanner-spoke";
  private static final String EXTERNAL_ID = "3f1c9a0e5b7d2468ace13579bdf02468ace13579bdf0";
  private static final String SPOKE_ROLE_ARN = "arn:aws:iam::" + SPOKE + ":role/" + ROLE;

  private final FakeSts sts = new FakeSts(HUB);

  private static Config hub() {
    return new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", ROLE, EXTERNAL_ID);
  }

  private static FunctionRef function(String account, String region) {
    return new FunctionRef("aws", account, region, "orders-api", null);
  }

  @Test
  void readerFor_whenOwnAccountAndRegionInHubMode_usesOwnRoleWithoutAssuming() {
    TargetAccess.Reader reader = new TargetAccess(hub(), sts).readerFor(function(HUB, "us-east-1"), "scan-1");

    assertThat(reader.own()).isTrue();
    assertThat(reader.credentials()).isNull();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void readerFor_whenOtherAccountInHubMode_assumesSpokeRoleWithExternalIdAndScanSession() {
    String scanId = UUID.randomUUID().toString();

    TargetAccess.Reader reader = new TargetAccess(hub(), sts).readerFor(function(SPOKE, "eu-west-1"), scanId);

    assertThat(reader.own()).isFalse();
    assertThat(reader.roleArn()).isEqualTo(SPOKE_ROLE_ARN);
    assertThat(sts.assumed).hasSize(1);
    AssumeRoleRequest request = sts.assumed.getFirst();
    assertThat(request.roleArn()).isEqualTo(SPOKE_ROLE_ARN);
    assertThat(request.externalId()).isEqualTo(EXTERNAL_ID);
    assertThat(request.roleSessionName()).isEqualTo(scanId);
    assertThat(request.durationSeconds()).isPositive().isLessThanOrEqualTo(3600);
    AwsCredentials credentials = reader.credentials().resolveCredentials();
    assertThat(credentials.accessKeyId()).isEqualTo("ASIAFAKE1");
    assertThat(credentials.secretAccessKey()).isEqualTo(FakeSts.SECRET_PREFIX + 1);
  }

  @Test
  void readerFor_whenOtherAccountInHubMode_neverShowsCredentialsInToString() {
    TargetAccess.Reader reader = new TargetAccess(hub(), sts).readerFor(function(SPOKE, "eu-west-1"), "scan-1");

    assertThat(reader.toString())
        .contains(SPOKE_ROLE_ARN)
        .doesNotContain("ASIAFAKE")
        .doesNotContain(FakeSts.SECRET_PREFIX)
        .doesNotContain(FakeSts.TOKEN_PREFIX);
  }

  @Test
  void readerFor_whenOwnAccountOtherRegionInHubMode_assumesSpokeRoleOfOwnAccount() {
    TargetAccess.Reader reader = new TargetAccess(hub(), sts).readerFor(function(HUB, "eu-west-1"), "scan-1");

    assertThat(reader.roleArn()).isEqualTo("arn:aws:iam::" + HUB + ":role/" + ROLE);
    assertThat(sts.assumed).extracting(AssumeRoleRequest::roleArn).containsExactly(reader.roleArn());
  }

  @Test
  void readerFor_whenSameSpokeAccountTwice_assumesOnceAndAnotherAccountAgain() {
    TargetAccess access = new TargetAccess(hub(), sts);

    access.readerFor(function(SPOKE, "eu-west-1"), "scan-1");
    access.readerFor(function(SPOKE, "ap-southeast-2"), "scan-2");
    access.readerFor(function("333333333333", "eu-west-1"), "scan-3");

    assertThat(sts.assumed)
        .extracting(AssumeRoleRequest::roleArn)
        .containsExactly(SPOKE_ROLE_ARN, "arn:aws:iam::333333333333:role/" + ROLE);
  }

  @Test
  void readerFor_whenSessionNearsExpiry_renewsItNamedAfterTheRenewingScan() {
    // Inside the SDK provider's stale window (1 minute before expiry), where the next caller must renew it. (Its
    // 5-minute prefetch window is jittered by the SDK: a renewal there happens only sometimes.)
    sts.sessionsLasting(Duration.ofSeconds(30));
    TargetAccess access = new TargetAccess(hub(), sts);

    access.readerFor(function(SPOKE, "eu-west-1"), "scan-1");
    TargetAccess.Reader renewed = access.readerFor(function(SPOKE, "eu-west-1"), "scan-2");

    assertThat(sts.assumed).extracting(AssumeRoleRequest::roleSessionName).containsExactly("scan-1", "scan-2");
    assertThat(renewed.credentials().resolveCredentials().accessKeyId()).isEqualTo("ASIAFAKE2");
  }

  @Test
  void readerFor_whenManySpokeAccounts_keepsABoundedCacheAndStillWorks() {
    TargetAccess access = new TargetAccess(hub(), sts);

    for (int i = 0; i <= TargetAccess.MAX_SPOKE_ROLES; i++) {
      access.readerFor(function(String.format("%012d", 100_000_000_000L + i), "eu-west-1"), "scan-" + i);
    }
    // The first account was dropped (least recently used): reading it again assumes again.
    access.readerFor(function("100000000000", "eu-west-1"), "scan-again");

    assertThat(sts.assumed).hasSize(TargetAccess.MAX_SPOKE_ROLES + 2);
    assertThat(sts.assumed.getLast().roleSessionName()).isEqualTo("scan-again");
  }

  /** moto assumes any role: a missing spoke role (or a wrong external id) can only be played by a fake STS. */
  @Test
  void readerFor_whenAssumeRoleDenied_isTerminalNamingRoleAccountAndSpokeHint() {
    sts.failingWith(stsError(403, "AccessDenied"));

    Throwable thrown = catchThrowable(() -> new TargetAccess(hub(), sts).readerFor(function(SPOKE, "eu-west-1"), "s"));

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
  void readerFor_whenStsThrottlesOrFails_isRetryable(int status, String code) {
    sts.failingWith(stsError(status, code));

    assertThatThrownBy(() -> new TargetAccess(hub(), sts).readerFor(function(SPOKE, "eu-west-1"), "s"))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("sts:AssumeRole");
  }

  @Test
  void readerFor_whenStsUnreachable_isRetryable() {
    sts.failingWith(SdkClientException.create("connection reset"));

    assertThatThrownBy(() -> new TargetAccess(hub(), sts).readerFor(function(SPOKE, "eu-west-1"), "s"))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void readerFor_whenAssumeFailedBefore_triesAgainNextTime() {
    TargetAccess access = new TargetAccess(hub(), sts);
    sts.failingWith(stsError(503, "ServiceUnavailable"));
    catchThrowable(() -> access.readerFor(function(SPOKE, "eu-west-1"), "scan-1"));
    sts.failingWith(null);

    TargetAccess.Reader reader = access.readerFor(function(SPOKE, "eu-west-1"), "scan-2");

    assertThat(reader.roleArn()).isEqualTo(SPOKE_ROLE_ARN);
    assertThat(sts.assumed).extracting(AssumeRoleRequest::roleSessionName).containsExactly("scan-1", "scan-2");
  }

  private static StsException stsError(int status, String code) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }
}
