package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

class AssumedRoleCredentialsTest {

  private static final String ROLE_ARN = "arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke";
  private static final Target TARGET = TestSupport.zipTarget("210987654321", "eu-west-1", "fn");
  private static final CredentialRefs REFS =
      new CredentialRefs("arn:secret", "v1", "US1", AuthKind.ACCESS_TOKEN, ROLE_ARN);
  private static final Credentials SESSION =
      Credentials.builder()
          .accessKeyId("ASIAASSUMEDASSUMED01")
          .secretAccessKey("assumed/secret+key0123456789abcdefghijklm")
          .sessionToken("assumed-session-token-0123456789")
          .expiration(Instant.parse("2030-01-01T00:15:00Z"))
          .build();

  private final List<AssumeRoleRequest> requests = new ArrayList<>();

  /** STS answering with {@code answer}; no Mockito: the SDK's interface has defaults for every operation. */
  private AssumedRoleCredentials sut(Function<AssumeRoleRequest, AssumeRoleResponse> answer) {
    StsClient sts =
        new StsClient() {
          @Override
          public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
            requests.add(request);
            return answer.apply(request);
          }

          @Override
          public String serviceName() {
            return "sts";
          }

          @Override
          public void close() {}
        };
    return new AssumedRoleCredentials(sts, "qualys-lambda-scanner-spoke", "hub-external-id-42");
  }

  private static StsException stsError(int status, String code) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .message("User arn:aws:sts::123456789012:assumed-role/x is not authorized")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("not authorized").build())
            .build();
  }

  @Test
  void forTarget_always_asksForTheSpokeRoleWithExternalIdSessionNameAndDuration() {
    AwsCredentials result =
        sut(r -> AssumeRoleResponse.builder().credentials(SESSION).build())
            .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275));

    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.roleArn()).isEqualTo(ROLE_ARN);
      assertThat(r.externalId()).isEqualTo("hub-external-id-42");
      assertThat(r.roleSessionName()).isEqualTo("qscanner-scan-42");
      assertThat(r.durationSeconds()).isEqualTo(900);
    });
    assertThat(result).isInstanceOf(AwsSessionCredentials.class);
    AwsSessionCredentials session = (AwsSessionCredentials) result;
    assertThat(session.accessKeyId()).isEqualTo(SESSION.accessKeyId());
    assertThat(session.secretAccessKey()).isEqualTo(SESSION.secretAccessKey());
    assertThat(session.sessionToken()).isEqualTo(SESSION.sessionToken());
    assertThat(session.expirationTime()).contains(SESSION.expiration());
  }

  @Test
  void forTarget_whenRefsNameAnotherRole_stillAssumesOnlyTheSpokeRoleOfTheTarget() {
    CredentialRefs forged =
        new CredentialRefs("arn:secret", "v1", "US1", AuthKind.ACCESS_TOKEN, "arn:aws:iam::210987654321:role/admin");

    sut(r -> AssumeRoleResponse.builder().credentials(SESSION).build())
        .forTarget("scan-42", TARGET, forged, Duration.ofSeconds(275));

    assertThat(requests).singleElement().extracting(AssumeRoleRequest::roleArn).isEqualTo(ROLE_ARN);
  }

  @Test
  void forTarget_whenAccessDenied_terminalNamingRoleAccountAndTheSpokeHint() {
    assertThatThrownBy(
            () -> sut(r -> { throw stsError(403, "AccessDenied"); })
                .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(ROLE_ARN)
        .hasMessageContaining("account 210987654321")
        .hasMessageContaining(
            "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?")
        .hasMessageNotContaining("hub-external-id-42");
  }

  @Test
  void forTarget_whenThrottled_retryable() {
    assertThatThrownBy(
            () -> sut(r -> { throw stsError(400, "Throttling"); })
                .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275)))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("Throttling");
  }

  @Test
  void forTarget_whenStsFails5xx_retryable() {
    assertThatThrownBy(
            () -> sut(r -> { throw stsError(503, "ServiceUnavailable"); })
                .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275)))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void forTarget_whenStsUnreachable_retryable() {
    assertThatThrownBy(
            () -> sut(r -> { throw SdkClientException.create("Connect timed out"); })
                .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275)))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void forTarget_whenRegionDisabled_terminalWithTheCode() {
    assertThatThrownBy(
            () -> sut(r -> { throw stsError(403, "RegionDisabledException"); })
                .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("RegionDisabledException")
        .hasMessageContaining(ROLE_ARN);
  }
}
