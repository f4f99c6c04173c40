package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void from_whenOnlyBucketSet_usesDefaults() {
    Config config = Config.from(Env.of(Map.of("RESULTS_BUCKET", "results", "AWS_REGION", "eu-west-1")));

    assertThat(config.resultsBucket()).isEqualTo("results");
    assertThat(config.excludeTagKey()).isEqualTo("QualysScan");
    assertThat(config.excludeNamePattern()).isNull();
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(config.defaultRegion()).isEqualTo("eu-west-1");
    assertThat(config.rescanAfter()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void from_whenRescanAfterSet_readsTheIsoDuration() {
    Config config = Config.from(Env.of(Map.of("RESULTS_BUCKET", "r", "RESCAN_AFTER", "PT20S")));

    assertThat(config.rescanAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void from_whenRescanAfterInvalidOrNotPositive_isTerminal() {
    for (String value : new String[] {"7", "P-1D", "PT0S"}) {
      assertThatThrownBy(() -> Config.from(Env.of(Map.of("RESULTS_BUCKET", "r", "RESCAN_AFTER", value))))
          .isInstanceOf(TerminalException.class)
          .hasMessageContaining("RESCAN_AFTER");
    }
  }

  @Test
  void from_whenScannerIdentityAndOptOutPolicySet_readsThem() {
    Config config = Config.from(Env.of(Map.of(
        "RESULTS_BUCKET", "results",
        "AWS_REGION", "eu-west-1",
        "AWS_LAMBDA_FUNCTION_NAME", "stack-ResolveTargetFunction-ABC",
        "SCANNER_ACCOUNT_ID", "123456789012",
        "SCANNER_FUNCTION_NAMES", "stack-RunQScannerFunction-ABC, stack-NotifyFunction-ABC",
        "HONOUR_OPT_OUT_TAGS", "true",
        "OPT_OUT_ACCOUNT_IDS", "210987654321")));

    ExclusionPolicy policy = config.exclusions();
    assertThat(policy.scannerFunctionNames()).containsExactlyInAnyOrder(
        "stack-ResolveTargetFunction-ABC", "stack-RunQScannerFunction-ABC", "stack-NotifyFunction-ABC");
    assertThat(policy.isScanner(TargetFixtures.zip("123456789012", "eu-west-1", "stack-NotifyFunction-ABC"))).isTrue();
    assertThat(policy.isScanner(TargetFixtures.zip("210987654321", "eu-west-1", "stack-NotifyFunction-ABC")))
        .as("the same name in another account is not the scanner").isFalse();
    assertThat(policy.isScanner(TargetFixtures.zip("123456789012", "us-east-1", "stack-NotifyFunction-ABC")))
        .as("nor in another region").isFalse();
    assertThat(policy.honoursOptOut("210987654321")).isTrue();
    assertThat(policy.honoursOptOut("123456789012")).isFalse();
  }

  @Test
  void from_whenNoScannerAccount_noFunctionIsTheScanner() {
    Config config = Config.from(Env.of(Map.of("RESULTS_BUCKET", "results", "AWS_REGION", "eu-west-1",
        "SCANNER_FUNCTION_NAMES", "notify")));

    assertThat(config.exclusions().isScanner(TargetFixtures.zip("123456789012", "eu-west-1", "notify"))).isFalse();
    assertThat(config.exclusions().honoursOptOut("123456789012")).as("default: honoured everywhere").isTrue();
  }

  @Test
  void from_whenOptOutSettingsMalformed_terminal() {
    for (Map<String, String> bad : java.util.List.of(
        Map.of("HONOUR_OPT_OUT_TAGS", "yes"),
        Map.of("OPT_OUT_ACCOUNT_IDS", "12345"),
        Map.of("SCANNER_ACCOUNT_ID", "me"),
        Map.of("SCANNER_FUNCTION_NAMES", "a b"))) {
      Map<String, String> env = new java.util.HashMap<>(bad);
      env.put("RESULTS_BUCKET", "results");

      assertThatThrownBy(() -> Config.from(Env.of(env))).as(bad.toString()).isInstanceOf(TerminalException.class);
    }
  }

  @Test
  void from_whenAllSet_readsThem() {
    Config config =
        Config.from(
            Env.of(
                Map.of(
                    "RESULTS_BUCKET", "results",
                    "EXCLUDE_TAG_KEY", "scan",
                    "EXCLUDE_NAME_PATTERN", "^test-",
                    "DEDUP_TTL_SECONDS", "60")));

    assertThat(config.excludeTagKey()).isEqualTo("scan");
    assertThat(config.excludeNamePattern().pattern()).isEqualTo("^test-");
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void from_whenBucketMissing_isTerminal() {
    assertThatThrownBy(() -> Config.from(Env.of(Map.of()))).isInstanceOf(TerminalException.class).hasMessageContaining("RESULTS_BUCKET");
  }

  @Test
  void from_whenPatternInvalid_isTerminal() {
    assertThatThrownBy(() -> Config.from(Env.of(Map.of("RESULTS_BUCKET", "r", "EXCLUDE_NAME_PATTERN", "(("))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("EXCLUDE_NAME_PATTERN");
  }

  @Test
  void from_whenTtlNotPositive_isTerminal() {
    assertThatThrownBy(() -> Config.from(Env.of(Map.of("RESULTS_BUCKET", "r", "DEDUP_TTL_SECONDS", "0"))))
        .isInstanceOf(TerminalException.class);
  }

  @Test
  void from_whenSpokeVariablesEmpty_isSingleAccountMode() {
    Config config =
        Config.from(Env.of(Map.of("RESULTS_BUCKET", "r", "SPOKE_ROLE_NAME", "", "SPOKE_EXTERNAL_ID", "")));

    assertThat(config.hubMode()).isFalse();
    assertThat(config.spokeRoleName()).isNull();
    assertThat(config.spokeExternalId()).isNull();
  }

  @Test
  void from_whenSpokeRoleAndExternalIdSet_isHubMode() {
    Config config =
        Config.from(
            Env.of(
                Map.of(
                    "RESULTS_BUCKET", "r",
                    "SPOKE_ROLE_NAME", "qualys-lambda-scanner-spoke",
                    "SPOKE_EXTERNAL_ID", "3f1c9a0e5b7d2468ace13579")));

    assertThat(config.hubMode()).isTrue();
    assertThat(config.spokeRoleName()).isEqualTo("qualys-lambda-scanner-spoke");
    assertThat(config.spokeExternalId()).isEqualTo("3f1c9a0e5b7d2468ace13579");
  }
}
