package com.qualys.lambdascanner.fleet.coverage;

import java.util.List;

/**
 * Counts per state and the coverage percentage: scanned over everything found that is not excluded (100 when
 * nothing is eligible).
 */
public record CoverageSummary(
    int total, int scanned, int excluded, int unreachable, int failed, int stale, int notScanned, double coveragePercent) {

  public static CoverageSummary of(List<CoverageEntry> entries) {
    int[] counts = new int[CoverageState.values().length];
    entries.forEach(e -> counts[e.state().ordinal()]++);
    int total = entries.size();
    int scanned = counts[CoverageState.SCANNED.ordinal()];
    int excluded = counts[CoverageState.EXCLUDED.ordinal()];
    int eligible = total - excluded;
    double percent = eligible == 0 ? 100.0 : Math.floor(1000.0 * scanned / eligible) / 10.0;
    return new CoverageSummary(total, scanned, excluded, counts[CoverageState.UNREACHABLE.ordinal()],
        counts[CoverageState.FAILED.ordinal()], counts[CoverageState.STALE.ordinal()],
        counts[CoverageState.NOT_SCANNED.ordinal()], percent);
  }

  /** Eligible functions without a fresh scan: what the UnscannedFunctions metric counts. */
  public int unscanned() {
    return total - scanned - excluded;
  }
}
