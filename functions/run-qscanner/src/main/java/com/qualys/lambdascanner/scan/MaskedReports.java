package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Run QScanner reads of qscanner's output, read the way it must be: every output file copied with the secrets
 * masked ({@link SecretScrubber}), then the ScanResult and the vulnerability report parsed from those copies, never
 * from qscanner's own files, so the findings, the findings index, the task output and the stored reports are all
 * made of the same scrubbed text (issue 22). {@code ReportParsingBenchmark} measures this, end to end.
 *
 * @param maskedSecrets how many values were masked in the copies
 * @param scanResult what the ScanResult copy says
 * @param reportFile the report's masked copy, when qscanner wrote one
 * @param report what the report says
 * @param findings every finding of the report, at most one more than {@link FindingsIndex#MAX_FINDINGS}
 */
record MaskedReports(
    int maskedSecrets,
    ReportParser.ScanResultSummary scanResult,
    Optional<Path> reportFile,
    ReportParser.ReportSummary report,
    List<Finding> findings) {

  /**
   * Copies qscanner's files from {@code output} to {@code copies}, masked, and reads the copies.
   *
   * @param reportSuffix {@code Report.json} or {@code Report.sarif.json}
   * @param inventoryOnly qscanner said it could not get the report (exit 40): a missing report is no problem
   */
  static MaskedReports read(
      SecretFinder finder, Path output, Path copies, String reportSuffix, boolean inventoryOnly) {
    int masked = new SecretScrubber(finder).copyAll(output, copies);
    ReportParser.ScanResultSummary scanResult =
        ReportParser.find(copies, "ScanResult.json")
            .map(ReportParser::parseScanResult)
            .orElseGet(() -> new ReportParser.ScanResultSummary(null, 0, 0, "no ScanResult file"));
    Optional<Path> reportFile = ReportParser.find(copies, reportSuffix);
    List<Finding> findings = new ArrayList<>();
    ReportParser.ReportSummary report =
        reportFile
            .map(file -> ReportParser.parseReport(file, f -> {
              if (findings.size() <= FindingsIndex.MAX_FINDINGS) {
                findings.add(f);
              }
            }))
            .orElseGet(() -> new ReportParser.ReportSummary(
                null, List.of(), 0, 0, inventoryOnly ? null : "no " + reportSuffix + " file"));
    return new MaskedReports(masked, scanResult, reportFile, report, findings);
  }
}
