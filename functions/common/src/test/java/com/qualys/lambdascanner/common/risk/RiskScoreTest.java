package com.qualys.lambdascanner.common.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskScoreTest {

  private static Finding finding(int severity, Integer qds) {
    return new Finding("1", List.of(), severity, "t", "p", "1", null, qds, null);
  }

  @Test
  void of_whenQdsPresent_expectationQdsOverSeverity() {
    // A severity 3 with an exploited CVE outranks a severity 5 nobody exploits: what QDS is for.
    assertThat(RiskScore.of(finding(3, 95))).isEqualTo(95);
    assertThat(RiskScore.of(finding(5, 35))).isEqualTo(35);
  }

  @Test
  void of_whenQdsAbsent_expectationFloorOfTheSeveritysBand() {
    assertThat(List.of(5, 4, 3, 2, 1, 0).stream().map(s -> RiskScore.of(finding(s, null))))
        .containsExactly(90, 70, 40, 20, 1, 0);
    assertThat(RiskScore.Band.of(RiskScore.of(finding(5, null)))).isEqualTo(RiskScore.Band.CRITICAL);
    assertThat(RiskScore.Band.of(RiskScore.of(finding(4, null)))).isEqualTo(RiskScore.Band.HIGH);
  }

  @Test
  void of_whenInputOutOfRange_expectationClamped() {
    assertThat(RiskScore.of(finding(99, null))).isEqualTo(90);
    assertThat(RiskScore.of(finding(-3, null))).isZero();
    assertThat(RiskScore.of(finding(2, 1000))).isEqualTo(100);
    assertThat(RiskScore.of(finding(2, -5))).as("a negative QDS is no QDS").isEqualTo(20);
    assertThat(RiskScore.of(null)).isZero();
  }

  @Test
  void ofFunction_whenSeveralFindings_expectationTheRiskiest() {
    assertThat(RiskScore.ofFunction(List.of(finding(5, null), finding(3, 97), finding(4, 10)))).isEqualTo(97);
    assertThat(RiskScore.ofFunction(List.of())).isZero();
    assertThat(RiskScore.Band.of(0)).isEqualTo(RiskScore.Band.NONE);
    assertThat(RiskScore.Band.of(39)).isEqualTo(RiskScore.Band.LOW);
    assertThat(RiskScore.Band.of(40)).isEqualTo(RiskScore.Band.MEDIUM);
    assertThat(RiskScore.Band.of(89)).isEqualTo(RiskScore.Band.HIGH);
  }
}
