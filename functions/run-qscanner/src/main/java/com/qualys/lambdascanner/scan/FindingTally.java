package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What a report parser keeps while it streams: counts by severity, the few riskiest findings (QDS, else severity),
 * and how many results it could not map. Bounded whatever the report's size.
 */
final class FindingTally {

  private final int[] bySeverity = new int[6];
  private final PriorityQueue<Finding> top = new PriorityQueue<>(RiskScore.RISKIEST_FIRST.reversed());
  private final java.util.function.Consumer<Finding> each;
  private long findings;
  private long unmapped;

  FindingTally() {
    this(finding -> {});
  }

  /** @param each given every finding as it is read (the findings index), not only the kept few */
  FindingTally(java.util.function.Consumer<Finding> each) {
    this.each = each;
  }

  void add(Finding finding) {
    each.accept(finding);
    findings++;
    bySeverity[finding.severity()]++;
    top.add(finding);
    if (top.size() > ReportParser.TOP_FINDINGS) {
      top.poll();
    }
  }

  void unmapped() {
    unmapped++;
  }

  long findings() {
    return findings;
  }

  long unmappedCount() {
    return unmapped;
  }

  /**
   * The summary; {@code problem} is the reason the file could not be read to its end (or null), to which the
   * unmapped results, if any, are added: a report with results nobody understood is never a clean one.
   */
  ReportParser.ReportSummary summary(String file, String problem) {
    List<Finding> sorted = new ArrayList<>(top);
    sorted.sort(RiskScore.RISKIEST_FIRST);
    List<String> problems = new ArrayList<>();
    if (problem != null) {
      problems.add(problem);
    }
    if (unmapped > 0) {
      problems.add(
          file + " holds " + unmapped + " of " + (unmapped + findings)
              + " results the parser could not map (no Qualys severity 1..5 or no QID): not a full verdict");
    }
    return new ReportParser.ReportSummary(
        new com.qualys.lambdascanner.common.model.SeverityCounts(
            bySeverity[5], bySeverity[4], bySeverity[3], bySeverity[2], bySeverity[1]),
        sorted,
        findings,
        unmapped,
        problems.isEmpty() ? null : String.join("; ", problems));
  }
}
