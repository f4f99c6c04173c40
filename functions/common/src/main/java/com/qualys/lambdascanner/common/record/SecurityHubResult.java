package com.qualys.lambdascanner.common.record;

import java.util.List;

/**
 * What the optional Security Hub export ({@code SecurityHubExport}) did with the scan's findings: each active
 * finding imported as an ASFF finding (stable Id, one per function and vulnerability), each finding no longer
 * present (fixed, suppressed, or the function deleted) re-imported with {@code RecordState: ARCHIVED}.
 *
 * @param status {@value #EXPORTED} (every finding imported), {@value #PARTIAL} (some were not: {@code failedIds}
 *     says which), {@value #FAILED} (none: Security Hub unreachable or refusing; {@code detail} says why), or
 *     {@value #SKIPPED_OLDER_SCAN} (a later scan of the function exists: exporting would undo its state)
 * @param productArn the product the findings were imported under (the function's own account's default product)
 * @param imported active findings Security Hub took
 * @param archived archived findings Security Hub took
 * @param notExported findings (active or archived) Security Hub did not take; the next scan imports them again
 * @param failedIds the ASFF Ids not exported, at most {@value #MAX_LISTED}
 * @param retryIndexKey when not all was exported: the findings index whose findings the next scan archives
 *     again if they are gone by then; null when all was exported
 * @param detail an error code or a short note, null when there is nothing to add
 */
public record SecurityHubResult(
    String status,
    String productArn,
    int imported,
    int archived,
    int notExported,
    List<String> failedIds,
    String retryIndexKey,
    String detail) {

  public static final String EXPORTED = "EXPORTED";
  public static final String PARTIAL = "PARTIAL";
  public static final String FAILED = "FAILED";
  public static final String SKIPPED_OLDER_SCAN = "SKIPPED_OLDER_SCAN";
  public static final int MAX_LISTED = 20;

  public SecurityHubResult {
    failedIds = failedIds == null ? List.of() : List.copyOf(failedIds);
  }
}
