package com.qualys.lambdascanner.common.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The riskiest-first order, the function's risk and the risk a finding carries in JSON. */
class FunctionRiskTest {

  private final JsonCodec json = new JsonCodec();

  private static Finding finding(String qid, int severity, Integer qds, String pkg) {
    return new Finding(qid, List.of(), severity, "t", pkg, "1", null, qds, null);
  }

  @Test
  void riskiestFirst_whenSeverityAndRiskDisagree_expectationRiskThenSeverityThenId() {
    Finding severeButQuiet = finding("500", 5, 35, "a");
    Finding exploited = finding("300", 3, 95, "b");
    Finding urgentNoQds = finding("501", 5, null, "c");
    Finding tieHigherSeverity = finding("400", 4, 35, "d");
    Finding tieLowerId = finding("100", 5, 35, "a");
    List<Finding> sorted = new ArrayList<>(List.of(severeButQuiet, tieHigherSeverity, exploited, urgentNoQds,
        tieLowerId));

    sorted.sort(RiskScore.RISKIEST_FIRST);

    assertThat(sorted).containsExactly(exploited, urgentNoQds, tieLowerId, severeButQuiet, tieHigherSeverity);
  }

  @Test
  void of_whenFindings_expectationTheRiskiestWithItsEvidence() {
    FunctionRisk sut = FunctionRisk.of(
        List.of(finding("500", 5, 35, "a"), finding("300", 3, 95, "openssl")), null, FunctionRisk.INDEX, true);

    assertThat(sut).isEqualTo(new FunctionRisk(95, RiskScore.Band.CRITICAL, 95, 1.0, "300/openssl", "300", 3, 95, 2,
        FunctionRisk.INDEX, true));
  }

  @Test
  void of_whenNoFindings_expectationZeroAndNoFinding() {
    assertThat(FunctionRisk.of(null, null, FunctionRisk.TOP_FINDINGS, false))
        .isEqualTo(new FunctionRisk(0, RiskScore.Band.NONE, 0, 1.0, null, null, 0, null, 0, FunctionRisk.TOP_FINDINGS,
            false));
  }

  @Test
  void of_whenExposureRead_expectationScoreWeighedAndBaseAndWeightKept() {
    ExposureFact yes = ExposureFact.yes("Function URL with AuthType NONE", List.of("url"));
    ExposureFact no = ExposureFact.no("none");
    List<Finding> findings = List.of(finding("300", 3, 60, "openssl"));

    FunctionRisk open = FunctionRisk.of(findings, new Exposure(yes, no, no, no, no), FunctionRisk.INDEX, true);
    FunctionRisk closed = FunctionRisk.of(findings, new Exposure(no, no, no, no, no), FunctionRisk.INDEX, true);

    // 60 x 1.30 = 78 (high) when anyone can invoke it; 60 x 0.85 = 51 when every fact was read and none found
    assertThat(open.score()).isEqualTo(78);
    assertThat(open.band()).isEqualTo(RiskScore.Band.HIGH);
    assertThat(open.base()).isEqualTo(60);
    assertThat(open.exposureWeight()).isEqualTo(1.30);
    assertThat(closed.score()).isEqualTo(51);
    assertThat(closed.exposureWeight()).isEqualTo(0.85);
  }

  @Test
  void of_whenEveryExposureFactYes_expectationWeightAsTheRecordShowsIt() {
    ExposureFact yes = ExposureFact.yes("found", List.of("evidence"));
    ExposureFact no = ExposureFact.no("none");

    FunctionRisk sut = FunctionRisk.of(List.of(finding("300", 3, 50, "openssl")),
        new Exposure(yes, no, no, yes, yes), FunctionRisk.INDEX, true);

    // public 1.30 x admin role 1.20 x deprecated runtime 1.10, not 1.7160000000000002
    assertThat(sut.exposureWeight()).isEqualTo(1.716);
    assertThat(sut.score()).isEqualTo(86);
  }

  @Test
  void json_whenFindingWritten_expectationRiskAndBandAndHostileRiskIgnoredOnRead() throws Exception {
    JsonNode written = json.mapper().readTree(json.toJson(finding("300", 3, 95, "b")));

    assertThat(written.path("risk").asInt()).isEqualTo(95);
    assertThat(written.path("riskBand").asText()).isEqualTo("CRITICAL");

    // An index that claims a risk does not get it: the score is RiskScore's, from severity and QDS.
    FindingsIndex hostile = json.mapper().readValue("""
        {"schemaVersion":"1","truncated":false,"findings":[
          {"qid":"7","severity":1,"risk":100,"riskBand":"CRITICAL"}]}""", FindingsIndex.class);
    assertThat(hostile.findings().getFirst().risk()).isEqualTo(1);
    assertThat(hostile.findings().getFirst().riskBand()).isEqualTo(RiskScore.Band.LOW);
  }
}
