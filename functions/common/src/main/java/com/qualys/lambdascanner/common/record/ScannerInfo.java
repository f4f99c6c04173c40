package com.qualys.lambdascanner.common.record;

/**
 * The scanner that produced a record.
 *
 * @param version qscanner's version, null when it did not run
 * @param pod the Qualys platform the scan reported to
 * @param mode the qscanner mode ({@code get-report}, {@code evaluate-policy})
 */
public record ScannerInfo(String version, String pod, String mode) {}
