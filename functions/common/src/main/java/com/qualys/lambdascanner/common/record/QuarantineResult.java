package com.qualys.lambdascanner.common.record;

/**
 * What the optional quarantine on DENY ({@code QuarantineOnDeny}) did to the scanned function: reserved
 * concurrency 0 (it stops running; nothing is deleted) and the {@code qualys-scan:quarantined} tags.
 *
 * @param status {@value #QUARANTINED}, {@value #FAILED} (a Lambda call was refused; {@code detail} says which),
 *     {@value #ELSEWHERE} (the function is in another account or region: not quarantined), or
 *     {@value #REFUSED_OWN_FUNCTION} (one of the scanner's own functions, by name: never touched)
 * @param at when it was quarantined, ISO-8601 UTC to the second; null unless QUARANTINED
 * @param previousReservedConcurrency the function's reserved concurrency before, null when it had none
 * @param releaseCommand the command that releases it (restores what it had), null unless QUARANTINED
 * @param detail an error code or a short note, null when there is nothing to add
 */
public record QuarantineResult(
    String status, String at, Integer previousReservedConcurrency, String releaseCommand, String detail) {

  public static final String QUARANTINED = "QUARANTINED";
  public static final String FAILED = "FAILED";
  public static final String ELSEWHERE = "ELSEWHERE";
  public static final String REFUSED_OWN_FUNCTION = "REFUSED_OWN_FUNCTION";
}
