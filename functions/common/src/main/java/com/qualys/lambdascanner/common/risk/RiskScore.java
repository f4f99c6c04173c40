package com.qualys.lambdascanner.common.risk;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import java.util.Comparator;
import java.util.List;

/**
 * Risk on Qualys's 1-100 detection scale (docs/result-record.md, "Risk"). A finding's risk is its Qualys Detection
 * Score when the report carries one (QDS already folds in CVSS, exploit maturity and threat intelligence); without it,
 * the floor of the QDS band its severity corresponds to (5 → 90, 4 → 70, 3 → 40, 2 → 20, 1 → 1), so a finding is never
 * ranked above what Qualys would score it. A function's risk is its riskiest finding's, as Qualys takes an asset's QDS
 * as the maximum over its detections. Out-of-range input (a hostile or broken report) is clamped, never trusted.
 */
public final class RiskScore {

  /** Qualys's QDS bands: critical 90-100, high 70-89, medium 40-69, low 1-39; none when there is no finding. */
  public enum Band {
    NONE, LOW, MEDIUM, HIGH, CRITICAL;

    public static Band of(int score) {
      if (score >= 90) {
        return CRITICAL;
      }
      if (score >= 70) {
        return HIGH;
      }
      if (score >= 40) {
        return MEDIUM;
      }
      return score >= 1 ? LOW : NONE;
    }

    /** The lowest score in this band (0 for NONE): what a threshold "at least this band" compares with. */
    public int floor() {
      return switch (this) {
        case CRITICAL -> 90;
        case HIGH -> 70;
        case MEDIUM -> 40;
        case LOW -> 1;
        case NONE -> 0;
      };
    }
  }

  /**
   * Riskiest first, then most severe, then by {@link FindingsIndex#id}: one deterministic order for every list the
   * pipeline shows (the record's top findings, the changes, the notification, chat, the Security Hub export).
   */
  public static final Comparator<Finding> RISKIEST_FIRST =
      Comparator.comparingInt(RiskScore::of).reversed()
          .thenComparing(Comparator.comparingInt(Finding::severity).reversed())
          .thenComparing(FindingsIndex::id, Comparator.nullsLast(Comparator.naturalOrder()));

  private static final int[] SEVERITY_FLOOR = {0, 1, 20, 40, 70, 90};

  private RiskScore() {}

  public static int of(Finding finding) {
    if (finding == null) {
      return 0;
    }
    Integer qds = finding.qds();
    if (qds != null && qds >= 1) {
      return Math.min(100, qds);
    }
    return SEVERITY_FLOOR[Math.clamp(finding.severity(), 0, 5)];
  }

  /** The riskiest finding's score, 0 when there is none. */
  public static int ofFunction(List<Finding> findings) {
    return findings == null ? 0 : findings.stream().mapToInt(RiskScore::of).max().orElse(0);
  }
}
