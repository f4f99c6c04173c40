package com.qualys.lambdascanner.common.model;

import java.time.Instant;
import java.util.List;

/**
 * Run QScanner's output. Reports stay in S3; only their keys travel.
 *
 * @param outcome how the scan came out
 * @param exitCode qscanner's exit code
 * @param scannerVersion qscanner's version, from its ScanResult file
 * @param mode the qscanner mode used ({@code get-report}, {@code evaluate-policy})
 * @param counts vulnerability counts by severity
 * @param secretsFound how many secrets qscanner's secret scan found
 * @param topFindings the riskiest findings (RiskScore.RISKIEST_FIRST), bounded
 * @param reportBucket the bucket holding the raw reports
 * @param reportKeys the S3 keys of the raw reports
 * @param startedAt when qscanner started
 * @param finishedAt when qscanner ended
 * @param message a redacted note, e.g. why the outcome is partial
 * @param qualys what locates the scan in the Qualys platform, from the ScanResult file; null when absent
 * @param findingsIndexKey the S3 key of every finding (not only the top ones), for the comparison with the
 *     previous scan; null when the report could not be read
 * @param findingsUnmapped the report held results (or the scanner said it found what a policy denies) that the
 *     parser could not map: the outcome stands (a DENY stays a DENY) but it is not a full verdict, so Store Results
 *     releases the claim and the next event or fleet run scans that code again (issue 10, item 9)
 * @param javaDb how qscanner had Trivy's Java index database: {@code DOWNLOADED} (online, this scan),
 *     {@code CACHED} (the container's copy, fresh), {@code OFFLINE} (the download failed: qscanner fell back to
 *     offline mode, where Java packages are identified far worse); null when no scan type reads JAR files
 * @param lambdaTarget the form of the {@code lambda} target qscanner scanned: {@code QUALIFIED} (the version's ARN)
 *     or {@code UNQUALIFIED} (the binary refused the qualified ARN; the code check guarded {@code $LATEST}); null
 *     for images
 */
public record ScanResult(
    Outcome outcome,
    int exitCode,
    String scannerVersion,
    String mode,
    SeverityCounts counts,
    int secretsFound,
    List<Finding> topFindings,
    String reportBucket,
    List<String> reportKeys,
    Instant startedAt,
    Instant finishedAt,
    String message,
    QualysLocator qualys,
    String findingsIndexKey,
    Boolean findingsUnmapped,
    String javaDb,
    String lambdaTarget) {

  /** A result without the java-db source or the target form. */
  public ScanResult(
      Outcome outcome,
      int exitCode,
      String scannerVersion,
      String mode,
      SeverityCounts counts,
      int secretsFound,
      List<Finding> topFindings,
      String reportBucket,
      List<String> reportKeys,
      Instant startedAt,
      Instant finishedAt,
      String message,
      QualysLocator qualys,
      String findingsIndexKey,
      Boolean findingsUnmapped) {
    this(outcome, exitCode, scannerVersion, mode, counts, secretsFound, topFindings, reportBucket, reportKeys,
        startedAt, finishedAt, message, qualys, findingsIndexKey, findingsUnmapped, null, null);
  }

  /** A result without a locator or findings index. */
  public ScanResult(
      Outcome outcome,
      int exitCode,
      String scannerVersion,
      String mode,
      SeverityCounts counts,
      int secretsFound,
      List<Finding> topFindings,
      String reportBucket,
      List<String> reportKeys,
      Instant startedAt,
      Instant finishedAt,
      String message) {
    this(outcome, exitCode, scannerVersion, mode, counts, secretsFound, topFindings, reportBucket, reportKeys,
        startedAt, finishedAt, message, null, null, false, null, null);
  }

  public ScanResult {
    counts = counts == null ? SeverityCounts.NONE : counts;
    topFindings = topFindings == null ? List.of() : List.copyOf(topFindings);
    reportKeys = reportKeys == null ? List.of() : List.copyOf(reportKeys);
    // Absent from results written before the flag existed (and the primitive would not take a JSON null).
    findingsUnmapped = Boolean.TRUE.equals(findingsUnmapped);
  }
}
