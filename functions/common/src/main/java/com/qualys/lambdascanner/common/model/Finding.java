package com.qualys.lambdascanner.common.model;

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
}
