package com.qualys.lambdascanner.common.record;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import java.util.List;

/**
 * How this scan's findings differ from the function's previous scan (the record in {@code latest/}), after
 * suppressions: a finding is identified by its QID and package (one QID can hit several packages).
 *
 * @param comparedWith what the scan was compared with: {@code PREVIOUS} (the previous record's findings),
 *     {@code NONE} (first scan of this function: every finding is new), {@code NEWER_SCAN_EXISTS} (a scan of a
 *     later change is already in latest/: this one is history, nothing is new) or {@code UNAVAILABLE} (a
 *     findings index could not be read: counts are not computed and nothing is alerted as new)
 * @param previousScanId the scan compared with, null unless PREVIOUS
 * @param newCounts findings in this scan and not in the previous one, by severity
 * @param fixedCounts findings in the previous scan and not in this one
 * @param persistingCounts findings in both
 * @param newHighestSeverity the highest severity among new findings, 0 when none
 * @param newHighestRisk the highest risk among new findings (all of them, not only those listed), 0 when none
 * @param newFindings the riskiest new findings, riskiest first, at most {@link #MAX_LISTED}
 * @param fixedFindings the riskiest fixed findings, riskiest first, at most {@link #MAX_LISTED}
 * @param complete false when an index was truncated (a huge report): the counts are then a lower bound
 */
public record FindingChanges(
    String comparedWith,
    String previousScanId,
    SeverityCounts newCounts,
    SeverityCounts fixedCounts,
    SeverityCounts persistingCounts,
    int newHighestSeverity,
    int newHighestRisk,
    List<Finding> newFindings,
    List<Finding> fixedFindings,
    boolean complete) {

  public static final int MAX_LISTED = 20;

  public static final String PREVIOUS = "PREVIOUS";
  public static final String NONE = "NONE";
  public static final String NEWER_SCAN_EXISTS = "NEWER_SCAN_EXISTS";
  public static final String UNAVAILABLE = "UNAVAILABLE";

  public FindingChanges {
    newCounts = newCounts == null ? SeverityCounts.NONE : newCounts;
    fixedCounts = fixedCounts == null ? SeverityCounts.NONE : fixedCounts;
    persistingCounts = persistingCounts == null ? SeverityCounts.NONE : persistingCounts;
    newFindings = newFindings == null ? List.of() : List.copyOf(newFindings);
    fixedFindings = fixedFindings == null ? List.of() : List.copyOf(fixedFindings);
  }

  /** Nothing computed: {@code why} is NEWER_SCAN_EXISTS or UNAVAILABLE. */
  public static FindingChanges notComputed(String why, String previousScanId) {
    return new FindingChanges(why, previousScanId, null, null, null, 0, 0, null, null, false);
  }
}
