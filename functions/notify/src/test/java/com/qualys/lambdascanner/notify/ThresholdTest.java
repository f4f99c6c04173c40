package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ALERT_ON_NEW_ONLY and CHAT_MIN_SEVERITY: a severity as before, or a risk band; nothing else. */
class ThresholdTest {

  private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:findings";

  private static NotifyConfig config(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("TOPIC_ARN", TOPIC);
    return NotifyConfig.from(Env.of(all));
  }

  @Test
  void from_whenSeveritiesAsBefore_expectationTheyKeepWorking() {
    NotifyConfig sut = config(Map.of("ALERT_ON_NEW_ONLY", "4", "CHAT_MIN_SEVERITY", "5"));

    assertThat(sut.alertOnNew()).isEqualTo(Threshold.severity(4));
    assertThat(sut.chatMin()).isEqualTo(Threshold.severity(5));
    assertThat(config(Map.of()).alertOnNew().off()).as("default 0: every scan alerts").isTrue();
    assertThat(config(Map.of()).chatMin()).as("default 4").isEqualTo(Threshold.severity(4));
    assertThat(config(Map.of("ALERT_ON_NEW_ONLY", " 0 ")).alertOnNew().off()).isTrue();
  }

  @Test
  void from_whenRiskBands_expectationKeyedOnRisk() {
    NotifyConfig sut = config(Map.of("ALERT_ON_NEW_ONLY", "risk:critical", "CHAT_MIN_SEVERITY", "risk:medium"));

    assertThat(sut.alertOnNew()).isEqualTo(Threshold.risk(RiskScore.Band.CRITICAL));
    assertThat(sut.chatMin()).isEqualTo(Threshold.risk(RiskScore.Band.MEDIUM));
    assertThat(sut.chatMin()).hasToString("risk:medium");
  }

  @ParameterizedTest
  @ValueSource(strings = {"6", "-1", "04", "4.0", "1e1", "risk:", "risk:none", "risk:HIGH", "Risk:high", "high",
      "risk:high;risk:low", "risk:high,low", "risk: high", "risk:high\nx", "risk:higher", "severity:4",
      "risk:critical0000000000000000000000000000000000000", "${AWS::NoValue}", "4\u0000"})
  void from_whenHostileOrMistyped_expectationTypedErrorNamingTheVariableNotTheValue(String value) {
    assertThatThrownBy(() -> config(Map.of("ALERT_ON_NEW_ONLY", value)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("ALERT_ON_NEW_ONLY must be 0 (off), a severity 1 to 5, or risk:critical");
    assertThatThrownBy(() -> config(Map.of("CHAT_MIN_SEVERITY", value)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("CHAT_MIN_SEVERITY must be a severity 1 to 5, or risk:critical");
  }

  @Test
  void from_whenChatThresholdZero_expectationRefused() {
    assertThatThrownBy(() -> config(Map.of("CHAT_MIN_SEVERITY", "0"))).isInstanceOf(TerminalException.class);
  }

  @Test
  void reachedBy_whenSeverityAndRiskDisagree_expectationEachKeyOnItsOwnScale() {
    // A severity 5 nobody exploits (risk 35) and a severity 3 exploited in the wild (risk 95).
    assertThat(Threshold.severity(5).reachedBy(5, 35)).isTrue();
    assertThat(Threshold.risk(RiskScore.Band.HIGH).reachedBy(5, 35)).isFalse();
    assertThat(Threshold.severity(4).reachedBy(3, 95)).isFalse();
    assertThat(Threshold.risk(RiskScore.Band.CRITICAL).reachedBy(3, 95)).isTrue();
    assertThat(Threshold.risk(RiskScore.Band.HIGH).reachedBy(3, 70)).as("the band's floor").isTrue();
    assertThat(Threshold.risk(RiskScore.Band.HIGH).reachedBy(3, 69)).isFalse();
    assertThat(Threshold.risk(RiskScore.Band.LOW).reachedBy(0, 0)).as("nothing found reaches nothing").isFalse();
  }
}
