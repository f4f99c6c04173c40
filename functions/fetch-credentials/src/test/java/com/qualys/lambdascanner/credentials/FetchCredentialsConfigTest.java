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
}
