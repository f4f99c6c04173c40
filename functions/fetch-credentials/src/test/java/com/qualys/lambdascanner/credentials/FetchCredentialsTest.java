package com.qualys.lambdascanner.credentials;

import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.HUB;
import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.HUB_MODE;
import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.SECRET_ARN;
import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.SINGLE_MODE;
import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.SPOKE;
import static com.qualys.lambdascanner.credentials.SpokeRoleCheckTest.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.spoke.FakeSts;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The service with fake Secrets Manager and STS: what the role check adds to the refs, and what it keeps out. */
class FetchCredentialsTest {

  private static final String TOKEN = "qualys-fake-token-0b1c2d3e4f5a6978";

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final FakeSts sts = new FakeSts(HUB);
  private final FakeSecrets secrets = new FakeSecrets(SECRET_ARN, "{\"accessToken\": \"" + TOKEN + "\"}");

  private FetchCredentials sut(FetchCredentialsConfig config) {
    StructuredLog log = new StructuredLog(json, logger);
    return new FetchCredentials(secrets, new SpokeRoleCheck(sts, config, log), config, json, log, Clock.systemUTC());
  }

  @Test
  void fetch_whenSpokeTargetInHubMode_expectRoleArnAndNoCredentialAnywhere() {
    CredentialRefs refs = sut(HUB_MODE).fetch(new FetchCredentialsRequest("scan-42", target(SPOKE, "eu-west-1")));

    assertThat(refs)
        .isEqualTo(
            new CredentialRefs(
                SECRET_ARN,
                FakeSecrets.VERSION,
                "US1",
                AuthKind.ACCESS_TOKEN,
                "arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke"));
    String output = json.toJson(refs);
    for (String secret : new String[] {FakeSts.ACCESS_KEY_PREFIX, FakeSts.SECRET_PREFIX, FakeSts.TOKEN_PREFIX, TOKEN}) {
      assertThat(output).doesNotContain(secret);
      assertThat(logger.all()).doesNotContain(secret);
    }
    assertThat(logger.all()).contains("\"roleArn\":\"arn:aws:iam::210987654321:role/qualys-lambda-scanner-spoke\"");
  }

  @Test
  void fetch_whenOwnTargetInHubMode_expectNoRoleArn() {
    CredentialRefs refs = sut(HUB_MODE).fetch(new FetchCredentialsRequest("scan-43", target(HUB, "us-east-1")));

    assertThat(refs.roleArn()).isNull();
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void fetch_whenSpokeTargetInSingleMode_expectTerminalBeforeSecretRead() {
    assertThatThrownBy(
            () -> sut(SINGLE_MODE).fetch(new FetchCredentialsRequest("scan-44", target(SPOKE, "us-east-1"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(secrets.reads).isZero();
  }

  @Test
  void fetch_whenSpokeRoleDenied_expectTerminalBeforeSecretRead() {
    sts.failingWith(
        software.amazon.awssdk.services.sts.model.StsException.builder()
            .statusCode(403)
            .awsErrorDetails(
                software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("AccessDenied").build())
            .build());

    assertThatThrownBy(() -> sut(HUB_MODE).fetch(new FetchCredentialsRequest("scan-45", target(SPOKE, "us-east-1"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("templates/spoke.yaml");
    assertThat(secrets.reads).isZero();
  }
}
