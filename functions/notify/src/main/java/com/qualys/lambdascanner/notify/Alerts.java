package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.record.FindingChanges;

/**
 * Whether a scan should page anyone ({@code AlertOnNewOnly}): with a threshold (a severity, or a risk band), only a
 * new finding that reaches it does, or a failed or timed-out scan; a scan that could not be compared alerts too,
 * because silence would then be a guess. Every scan is still stored and published: the {@code alert} attribute is
 * what subscription filter policies use.
 */
final class Alerts {

  private Alerts() {}

  static boolean alert(ScanSummary s, Threshold threshold) {
    if (threshold.off() || s.status() == null) {
      return true;
    }
    switch (s.status()) {
      case FAILED, TIMED_OUT -> {
        return true;
      }
      default -> {
        // Decided below.
      }
    }
    FindingChanges c = s.changes();
    if (c == null || FindingChanges.UNAVAILABLE.equals(c.comparedWith())) {
      return true;
    }
    if (FindingChanges.NEWER_SCAN_EXISTS.equals(c.comparedWith())) {
      return false;
    }
    return threshold.reachedBy(c.newHighestSeverity(), c.newHighestRisk());
  }
}
