package com.qualys.lambdascanner.common.record;

/**
 * The scanner that produced a record.
 *
 * @param version qscanner's version, null when it did not run
 * @param pod the Qualys platform the scan reported to
 * @param mode the qscanner mode ({@code get-report}, {@code evaluate-policy})
 * @param findingsUnmapped the report held results the parser could not map: not a full verdict, the claim was
 *     released (absent from records written before it existed, read as false)
 * @param javaDb {@code DOWNLOADED}, {@code CACHED} or {@code OFFLINE}: how qscanner had its Java index database;
 *     null when no scan type reads JAR files
 * @param lambdaTarget {@code QUALIFIED} or {@code UNQUALIFIED}: the form of the {@code lambda} target scanned
 */
public record ScannerInfo(
    String version, String pod, String mode, Boolean findingsUnmapped, String javaDb, String lambdaTarget) {

  public ScannerInfo {
    findingsUnmapped = Boolean.TRUE.equals(findingsUnmapped);
  }
}
