package com.qualys.lambdascanner.common.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RiskScore#ofFunction(List, Exposure)}: the riskiest finding weighed by the function's exposure. */
class ExposureRiskTest {

  private static final ExposureFact YES = ExposureFact.yes("found", List.of("evidence"));
  private static final ExposureFact NO = ExposureFact.no("not found");
  private static final ExposureFact UNKNOWN = ExposureFact.unknown("access denied");
  private static final List<Finding> HIGH = List.of(finding(4, 75));

  private static Finding finding(int severity, Integer qds) {
    return new Finding("1", List.of(), severity, "t", "p", "1", null, qds, null);
  }

  @Test
  void ofFunction_whenPublicAdminAndDeprecated_expectationRaisedAndCapped() {
    Exposure open = new Exposure(YES, NO, NO, YES, YES);

    // 75 x 1.30 x 1.20 x 1.10 = 128.7, capped
    assertThat(RiskScore.ofFunction(HIGH, open)).isEqualTo(100);
    assertThat(RiskScore.ofFunction(List.of(finding(3, 45)), open)).isEqualTo(77);
    assertThat(RiskScore.Band.of(RiskScore.ofFunction(List.of(finding(3, 45)), open)))
        .isEqualTo(RiskScore.Band.HIGH);
  }

  @Test
  void ofFunction_whenEveryFactKnownAndNone_expectationLoweredAsInspectorDoesForUnreachable() {
    Exposure closed = new Exposure(NO, NO, NO, NO, NO);

    assertThat(RiskScore.ofFunction(HIGH, closed)).isEqualTo(64);
  }

  @Test
  void ofFunction_whenAnyFactUnknown_expectationNeverLowered() {
    Exposure partlyUnknown = new Exposure(NO, NO, NO, UNKNOWN, NO);
    Exposure allUnknown = new Exposure(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    assertThat(RiskScore.ofFunction(HIGH, partlyUnknown)).isEqualTo(75);
    assertThat(RiskScore.ofFunction(HIGH, allUnknown)).isEqualTo(75);
    assertThat(RiskScore.ofFunction(HIGH, null)).as("not read").isEqualTo(75);
  }

  @Test
  void ofFunction_whenCrossAccountOnly_expectationRaisedLessThanPublic() {
    int cross = RiskScore.ofFunction(HIGH, new Exposure(NO, NO, YES, NO, NO));
    int open = RiskScore.ofFunction(HIGH, new Exposure(NO, YES, NO, NO, NO));

    assertThat(cross).isEqualTo(86);
    assertThat(open).isEqualTo(98);
  }

  @Test
  void ofFunction_whenSameFindingsExposedAndNot_expectationExposedRanksHigher() {
    List<Finding> findings = List.of(finding(5, null), finding(2, null));

    assertThat(RiskScore.ofFunction(findings, new Exposure(YES, YES, NO, YES, NO)))
        .isGreaterThan(RiskScore.ofFunction(findings, new Exposure(NO, NO, NO, NO, NO)));
  }

  @Test
  void ofFunction_whenNoFinding_expectationZeroWhateverTheExposure() {
    assertThat(RiskScore.ofFunction(List.of(), new Exposure(YES, YES, YES, YES, YES))).isZero();
  }
}
