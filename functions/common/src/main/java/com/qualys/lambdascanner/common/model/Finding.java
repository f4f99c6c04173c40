package com.qualys.lambdascanner.common.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.List;

/**
 * One vulnerability, as kept among the top findings (never the whole report).
 *
 * @param qid the Qualys id
 * @param cves CVE ids
 * @param severity Qualys severity 1 to 5
 * @param title the vulnerability's title
 * @param packageName the affected package
 * @param installedVersion the version found
 * @param fixedVersion the first fixed version, if known
 * @param qds the Qualys Detection Score 1 to 100, null when the report has none
 * @param packages every vulnerable package of the finding
 */
// risk and riskBand are written (the findings index, the record, the message) but never read back: they are what
// RiskScore says of the finding now, not what a stored or hostile document claims.
@JsonIgnoreProperties(value = {"risk", "riskBand"}, allowGetters = true)
public record Finding(
    String qid,
    List<String> cves,
    int severity,
    String title,
    String packageName,
    String installedVersion,
    String fixedVersion,
    Integer qds,
    List<VulnerablePackage> packages) {

  public Finding {
    cves = cves == null ? List.of() : List.copyOf(cves);
    packages = packages == null ? List.of() : List.copyOf(packages);
  }

  /** This finding's risk, 1-100 (docs/result-record.md, "Risk"). */
  @JsonProperty("risk")
  public int risk() {
    return RiskScore.of(this);
  }

  /** The band of {@link #risk()}. */
  @JsonProperty("riskBand")
  public RiskScore.Band riskBand() {
    return RiskScore.Band.of(risk());
  }
}
