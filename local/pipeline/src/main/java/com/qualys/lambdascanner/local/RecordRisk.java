package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.List;
import java.util.Locale;

/** A stored record's function risk, as {@link RiskScore} weighs its top findings by its exposure facts. */
record RecordRisk(List<Finding> findings, Exposure exposure) {

  private static final ObjectMapper MAPPER = new JsonCodec().mapper();

  static RecordRisk of(JsonNode record) {
    List<Finding> findings = List.of(MAPPER.convertValue(record.path("topFindings"), Finding[].class));
    JsonNode exposure = record.path("exposure");
    return new RecordRisk(findings, exposure.isObject() ? MAPPER.convertValue(exposure, Exposure.class) : null);
  }

  int score() {
    return RiskScore.ofFunction(findings, exposure);
  }

  /** The facts and the score on one line, for the console. */
  String summary() {
    if (exposure == null) {
      return "(not read: nothing was scanned)";
    }
    int risk = score();
    return String.format(Locale.ROOT,
        "publicUrl %s, publicInvoke %s, crossAccountInvoke %s, adminRole %s, deprecatedRuntime %s;"
            + " risk %d (%s) = riskiest finding %d x exposure weight %.2f",
        exposure.publicUrl().answer(), exposure.publicInvoke().answer(), exposure.crossAccountInvoke().answer(),
        exposure.adminRole().answer(), exposure.deprecatedRuntime().answer(), risk, RiskScore.Band.of(risk),
        RiskScore.ofFunction(findings), RiskScore.weight(exposure));
  }
}
