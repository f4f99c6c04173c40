package com.qualys.lambdascanner.common.record;

import java.util.List;

/**
 * The SBOMs QScanner wrote for this scan, kept under {@code reports/} with the raw reports.
 *
 * @param cyclonedxKey the CycloneDX JSON ({@code <id>-ScanResult.cyclonedx.json}), null when absent
 * @param spdxKey the SPDX JSON ({@code <id>-ScanResult.spdx.json}), null unless SPDX was asked for
 */
public record Sbom(String cyclonedxKey, String spdxKey) {

  static final String CYCLONEDX_SUFFIX = "ScanResult.cyclonedx.json";
  static final String SPDX_SUFFIX = "ScanResult.spdx.json";

  /** The SBOMs among a scan's report keys, or null when there is none. */
  public static Sbom among(List<String> reportKeys) {
    String cyclonedx = first(reportKeys, CYCLONEDX_SUFFIX);
    String spdx = first(reportKeys, SPDX_SUFFIX);
    return cyclonedx == null && spdx == null ? null : new Sbom(cyclonedx, spdx);
  }

  private static String first(List<String> keys, String suffix) {
    return keys.stream()
        .filter(k -> k.endsWith("-" + suffix) || k.endsWith("_" + suffix))
        .findFirst()
        .orElse(null);
  }
}
