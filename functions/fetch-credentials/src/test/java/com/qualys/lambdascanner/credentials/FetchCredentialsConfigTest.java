package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchCredentialsConfigTest {

  private static final String ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-lambda-scanner/qualys-AbCdEf";

  @Test
  void from_whenValid_expectValues() {
    var config = FetchCredentialsConfig.from(Env.of(Map.of("QUALYS_SECRET_ARN", ARN, "QUALYS_POD", "us1")));

    assertThat(config).isEqualTo(new FetchCredentialsConfig(ARN, "US1"));
  }

  @Test
  void from_whenSecretIsAName_expectTerminal() {
    assertThatThrownBy(
            () -> FetchCredentialsConfig.from(Env.of(Map.of("QUALYS_SECRET_ARN", "qualys", "QUALYS_POD", "US1"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("QUALYS_SECRET_ARN");
  }

  @Test
  void from_whenPodMissing_expectTerminal() {
    assertThatThrownBy(() -> FetchCredentialsConfig.from(Env.of(Map.of("QUALYS_SECRET_ARN", ARN))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("QUALYS_POD");
  }

  @Test
  void from_whenHubMode_expectSpokeSettingsAndRegion() {
    var config =
        FetchCredentialsConfig.from(
            Env.of(
                Map.of(
                    "QUALYS_SECRET_ARN", ARN,
                    "QUALYS_POD", "US1",
                    "AWS_REGION", "eu-west-1",
                    "SPOKE_ROLE_NAME", "qualys-lambda-scanner-spoke",
                    "SPOKE_EXTERNAL_ID", "3f1c9a0e5b7d2468ace13579")));

    assertThat(config)
        .isEqualTo(
            new FetchCredentialsConfig(
                ARN, "US1", "eu-west-1", "qualys-lambda-scanner-spoke", "3f1c9a0e5b7d2468ace13579"));
    assertThat(config.hubMode()).isTrue();
  }

  @Test
  void from_whenSpokeSettingsEmpty_expectSingleAccountMode() {
    var config =
        FetchCredentialsConfig.from(
            Env.of(Map.of("QUALYS_SECRET_ARN", ARN, "QUALYS_POD", "US1", "SPOKE_ROLE_NAME", "", "SPOKE_EXTERNAL_ID", "")));

    assertThat(config.hubMode()).isFalse();
    assertThat(config.spokeExternalId()).isNull();
  }

  @Test
  void toString_whenHubMode_expectExternalIdMasked() {
    var config = new FetchCredentialsConfig(ARN, "US1", "us-east-1", "spoke", "3f1c9a0e5b7d2468ace13579");

    assertThat(config.toString()).contains("spoke").doesNotContain("3f1c9a0e5b7d2468ace13579");
  }
}
