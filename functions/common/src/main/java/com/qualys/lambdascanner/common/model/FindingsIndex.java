package com.qualys.lambdascanner.common.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Every finding of one scan (not only the top ones that travel in the state), as Run QScanner writes it next to
 * the raw reports ({@code reports/.../findings-index.json}) and Store Results reads it to compare a scan with
 * the previous one. Normalised by the report parser, so the comparison never depends on the report's format.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param truncated true when the report had more than {@link #MAX_FINDINGS} findings (the rest are left out)
 * @param findings the findings, each clipped as the parser clips them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FindingsIndex(String schemaVersion, boolean truncated, List<Finding> findings) {

  public static final String SCHEMA_VERSION = "1";
  public static final String FILE_NAME = "findings-index.json";
  public static final int MAX_FINDINGS = 10_000;

  public FindingsIndex {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** A finding's identity across scans: its QID and affected package (one QID can hit several packages). */
  public static String id(Finding finding) {
    return finding.packageName() == null || finding.packageName().isBlank()
        ? finding.qid()
        : finding.qid() + "/" + finding.packageName();
  }
}
