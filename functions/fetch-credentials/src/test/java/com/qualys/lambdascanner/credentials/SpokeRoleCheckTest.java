package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.FakeSts;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Fetch Credentials' own part of hub mode: the target's fields checked, the spoke role assumed once for the shortest
 * session and only its ARN kept. The decision, session names and STS's errors are spoke-access's (SpokeAccessTest).
 */
class SpokeRoleCheckTest {

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

  private SpokeRoleCheck sut(FetchCredentialsConfig config) {
    JsonCodec json = new JsonCodec();
    return new SpokeRoleCheck(sts, config, new StructuredLog(json, logger));
  }

  @Test
  void roleArnFor_whenOwnAccountAndRegion_expectNullWithoutAssumeRole() {
    assertThat(sut(HUB_MODE).roleArnFor(SCAN_ID, target(HUB, "us-east-1"))).isNull();

    assertThat(sts.assumed).isEmpty();
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
        .doesNotContain(FakeSts.ACCESS_KEY_PREFIX)
        .doesNotContain(FakeSts.SECRET_PREFIX)
        .doesNotContain(FakeSts.TOKEN_PREFIX)
        .doesNotContain(EXTERNAL_ID);
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
}
