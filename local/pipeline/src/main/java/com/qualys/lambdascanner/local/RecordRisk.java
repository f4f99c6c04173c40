package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import java.util.Locale;

/** A stored record's exposure facts and the function risk Store Results stored with them (null when absent). */
record RecordRisk(Exposure exposure, FunctionRisk risk) {

  private static final ObjectMapper MAPPER = new JsonCodec().mapper();

  static RecordRisk of(JsonNode record) {
    JsonNode exposure = record.path("exposure");
    JsonNode risk = record.path("risk");
    return new RecordRisk(
        exposure.isObject() ? MAPPER.convertValue(exposure, Exposure.class) : null,
        risk.isObject() ? MAPPER.convertValue(risk, FunctionRisk.class) : null);
  }

  /** The stored score, 0 when the record has none. */
  int score() {
    return risk == null ? 0 : risk.score();
  }

  /** The facts and the score on one line, for the console. */
  String summary() {
    if (exposure == null || risk == null) {
      return "(not read: nothing was scanned)";
    }
    return String.format(Locale.ROOT,
        "publicUrl %s, publicInvoke %s, crossAccountInvoke %s, adminRole %s, deprecatedRuntime %s;"
            + " risk %d (%s) = riskiest finding %d x exposure weight %.2f",
        exposure.publicUrl().answer(), exposure.publicInvoke().answer(), exposure.crossAccountInvoke().answer(),
        exposure.adminRole().answer(), exposure.deprecatedRuntime().answer(), risk.score(), risk.band(),
        risk.base(), risk.exposureWeight());
  }
}
