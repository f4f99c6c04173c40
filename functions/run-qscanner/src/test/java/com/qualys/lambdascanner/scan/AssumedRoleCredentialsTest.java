package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Run QScanner's own part of hub mode: the spoke session's credentials, exactly as STS gave them, for qscanner, and
 * a session as long as the scan. STS's errors and session names are spoke-access's (SpokeAccessTest).
 */
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
    SpokeSettings settings = new SpokeSettings("qualys-lambda-scanner-spoke", "hub-external-id-42");
    return new AssumedRoleCredentials(
        new SpokeAccess(settings, TestSupport.REGION, sts, () -> TestSupport.ACCOUNT), java.util.List.of());
  }

  @Test
  void forTarget_always_asksForTheSpokeRoleWithExternalIdSessionNameAndDuration() {
    AwsCredentials result =
        sut(r -> AssumeRoleResponse.builder().credentials(SESSION).build())
            .forTarget("scan-42", TARGET, REFS, Duration.ofSeconds(275));

    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.roleArn()).isEqualTo(ROLE_ARN);
      assertThat(r.externalId()).isEqualTo("hub-external-id-42");
      // The scan id itself, as Resolve Target and Fetch Credentials name theirs (SpokeAccess.sessionName).
      assertThat(r.roleSessionName()).isEqualTo("scan-42");
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
  void durationSeconds_whenScanIsShort_isStsMinimum() {
    assertThat(AssumedRoleCredentials.durationSeconds(Duration.ofSeconds(275))).isEqualTo(900);
  }

  @Test
  void durationSeconds_whenScanIsLong_coversItWithSlack() {
    assertThat(AssumedRoleCredentials.durationSeconds(Duration.ofSeconds(1200))).isEqualTo(1260);
  }

  @Test
  void durationSeconds_whenFractionOfASecond_roundsUp() {
    assertThat(AssumedRoleCredentials.durationSeconds(Duration.ofMillis(1_200_001))).isEqualTo(1261);
  }

  @Test
  void durationSeconds_whenBeyondTheRolesMaximum_isOneHour() {
    assertThat(AssumedRoleCredentials.durationSeconds(Duration.ofHours(2))).isEqualTo(3600);
  }
}
