package com.qualys.lambdascanner.common.risk;

import com.qualys.lambdascanner.common.model.Exposure;
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
 *
 * <p>{@link #ofFunction(List, Exposure)} weighs that by the function's exposure, as TruRisk weighs QDS by asset
 * criticality and Inspector adjusts CVSS by network reachability: each exposure found raises it, a function known to
 * be unexposed (every fact read, none found) is lowered, and an unknown fact never lowers it.
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

  /** Anyone can invoke it (a Function URL without auth, or a public resource policy): the reachability weight. */
  static final double PUBLIC_WEIGHT = 1.30;

  /** Another named account can invoke it. */
  static final double CROSS_ACCOUNT_WEIGHT = 1.15;

  /** Its role can administer the account: what an exploit could do with the code's credentials. */
  static final double ADMIN_ROLE_WEIGHT = 1.20;

  /** Its runtime gets no more security patches (or stops within 90 days). */
  static final double DEPRECATED_RUNTIME_WEIGHT = 1.10;

  /** Every fact read and none found: lowered, as Inspector lowers a finding that is not network reachable. */
  static final double UNEXPOSED_WEIGHT = 0.85;

  /** The riskiest finding's score, 0 when there is none. */
  public static int ofFunction(List<Finding> findings) {
    return findings == null ? 0 : findings.stream().mapToInt(RiskScore::of).max().orElse(0);
  }

  /**
   * The function's risk: its riskiest finding's score times the exposure weight, rounded and capped at 100; 0 when
   * there is no finding (exposure alone is not a vulnerability). A null exposure (not read) weighs 1.
   */
  public static int ofFunction(List<Finding> findings, Exposure exposure) {
    int base = ofFunction(findings);
    if (base == 0) {
      return 0;
    }
    return (int) Math.min(100, Math.round(base * weight(exposure)));
  }

  /** The exposure weight of {@link #ofFunction(List, Exposure)}. */
  public static double weight(Exposure exposure) {
    if (exposure == null) {
      return 1.0;
    }
    if (exposure.knownUnexposed()) {
      return UNEXPOSED_WEIGHT;
    }
    double weight = 1.0;
    if (exposure.publiclyInvocable()) {
      weight *= PUBLIC_WEIGHT;
    } else if (exposure.crossAccountInvoke().yes()) {
      weight *= CROSS_ACCOUNT_WEIGHT;
    }
    if (exposure.adminRole().yes()) {
      weight *= ADMIN_ROLE_WEIGHT;
    }
    if (exposure.deprecatedRuntime().yes()) {
      weight *= DEPRECATED_RUNTIME_WEIGHT;
    }
    return weight;
  }
}
