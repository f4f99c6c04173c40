package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final Map<String, String> REQUIRED =
      Map.of("RESULTS_BUCKET", "results", "QUALYS_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:q");

  @Test
  void from_whenOnlyRequiredSet_usesDocumentedDefaults() {
    Config sut = Config.from(Env.of(REQUIRED));

    assertThat(sut.qscannerPath()).isEqualTo(Path.of("/opt/bin/qscanner"));
    assertThat(sut.mode()).isEqualTo("get-report");
    assertThat(sut.scanTypes()).containsExactly("pkg", "secret");
    // SARIF: the format Qualys's own integrations parse (docs/qscanner-integration.md).
    assertThat(sut.reportFormat()).isEqualTo("sarif");
    assertThat(sut.scanTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(sut.safetyMargin()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sut.logLevel()).isEqualTo("info");
    assertThat(sut.spokeRoleName()).isEmpty();
    assertThat(sut.spokeExternalId()).isEmpty();
    assertThat(sut.hubMode()).isFalse();
  }

  @Test
  void from_whenSpokeRoleAndExternalIdSet_hubMode() {
    var env = new java.util.HashMap<>(REQUIRED);
    env.put("SPOKE_ROLE_NAME", "qualys-lambda-scanner-spoke");
    env.put("SPOKE_EXTERNAL_ID", "0f3c9a7e-hub-external-id");

    Config sut = Config.from(Env.of(env));

    assertThat(sut.hubMode()).isTrue();
    assertThat(sut.spokeRoleName()).isEqualTo("qualys-lambda-scanner-spoke");
    assertThat(sut.spokeExternalId()).isEqualTo("0f3c9a7e-hub-external-id");
  }

  @Test
  void from_whenModeUnknown_terminal() {
    var env = new java.util.HashMap<>(REQUIRED);
    env.put("QSCANNER_MODE", "scan-everything");

    assertThatThrownBy(() -> Config.from(Env.of(env))).isInstanceOf(TerminalException.class);
  }

  @Test
  void from_whenPolicyTagsHoldSomethingOtherThanWords_terminal() {
    var env = new java.util.HashMap<>(REQUIRED);
    env.put("QSCANNER_MODE", "evaluate-policy");
    env.put("QSCANNER_POLICY_TAGS", "prod,--access-token x");

    assertThatThrownBy(() -> Config.from(Env.of(env))).isInstanceOf(TerminalException.class);
  }

  @Test
  void from_whenBucketMissing_terminalNamingIt() {
    assertThatThrownBy(() -> Config.from(Env.of(Map.of("QUALYS_SECRET_ARN", "x"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("RESULTS_BUCKET");
  }

  @Test
  void from_whenSbomFormatsUnset_cycloneDxOnly() {
    assertThat(Config.from(Env.of(REQUIRED)).sbomFormats()).containsExactly("cyclonedx");
  }

  @Test
  void from_whenSpdxAsked_bothAndOnTheCommandLine() {
    var env = new java.util.HashMap<>(REQUIRED);
    env.put("QSCANNER_SBOM_FORMATS", "cyclonedx, SPDX");

    Config sut = Config.from(Env.of(env));

    assertThat(sut.sbomFormats()).containsExactly("cyclonedx", "spdx");
  }

  @Test
  void from_whenSbomFormatsWithoutCycloneDxOrUnknown_terminal() {
    for (String value : new String[] {"spdx", "cyclonedx,table", "cyclonedx,--output-dir=/"}) {
      var env = new java.util.HashMap<>(REQUIRED);
      env.put("QSCANNER_SBOM_FORMATS", value);
      assertThatThrownBy(() -> Config.from(Env.of(env))).as(value).isInstanceOf(TerminalException.class);
    }
  }
}
