package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** New, fixed and persisting findings between two scans, by {@link FindingsIndex#id identity}. Pure. */
final class FindingsComparison {

  private FindingsComparison() {}

  /**
   * @param previousScanId the scan compared with, or null for a first scan (every finding is new)
   * @param complete whether both finding lists are complete
   */
  static FindingChanges compare(
      List<Finding> current, List<Finding> previous, String previousScanId, boolean complete) {
    Map<String, Finding> before = byId(previous);
    Map<String, Finding> now = byId(current);
    SeverityCounts added = SeverityCounts.NONE;
    SeverityCounts fixed = SeverityCounts.NONE;
    SeverityCounts persisting = SeverityCounts.NONE;
    List<Finding> addedList = new ArrayList<>();
    List<Finding> fixedList = new ArrayList<>();
    for (Map.Entry<String, Finding> e : now.entrySet()) {
      if (before.containsKey(e.getKey())) {
        persisting = persisting.plus(e.getValue().severity());
      } else {
        added = added.plus(e.getValue().severity());
        addedList.add(e.getValue());
      }
    }
    for (Map.Entry<String, Finding> e : before.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        fixed = fixed.plus(e.getValue().severity());
        fixedList.add(e.getValue());
      }
    }
    return new FindingChanges(
        previousScanId == null ? FindingChanges.NONE : FindingChanges.PREVIOUS,
        previousScanId,
        added,
        fixed,
        persisting,
        added.highest(),
        RiskScore.ofFunction(addedList),
        riskiest(addedList),
        riskiest(fixedList),
        complete);
  }

  private static Map<String, Finding> byId(List<Finding> findings) {
    Map<String, Finding> map = new LinkedHashMap<>();
    for (Finding f : findings) {
      // The same QID and package twice (two paths) is one finding; keep its riskiest report.
      map.merge(FindingsIndex.id(f), f, (a, b) -> RiskScore.RISKIEST_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return map;
  }

  private static List<Finding> riskiest(List<Finding> findings) {
    return findings.stream().sorted(RiskScore.RISKIEST_FIRST).limit(FindingChanges.MAX_LISTED).toList();
  }
}
