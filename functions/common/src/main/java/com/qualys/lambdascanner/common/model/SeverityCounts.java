package com.qualys.lambdascanner.common.model;

/**
 * Vulnerability counts by Qualys severity: 5 urgent, 4 critical, 3 serious, 2 medium, 1 minimal.
 */
public record SeverityCounts(int urgent, int critical, int serious, int medium, int minimal) {

  public static final SeverityCounts NONE = new SeverityCounts(0, 0, 0, 0, 0);

  public int total() {
    return urgent + critical + serious + medium + minimal;
  }

  /** The highest severity with at least one finding, 0 when there is none. */
  public int highest() {
    if (urgent > 0) return 5;
    if (critical > 0) return 4;
    if (serious > 0) return 3;
    if (medium > 0) return 2;
    if (minimal > 0) return 1;
    return 0;
  }

  /** These counts with one more finding of {@code severity} (1 to 5; anything else is ignored). */
  public SeverityCounts plus(int severity) {
    return switch (severity) {
      case 5 -> new SeverityCounts(urgent + 1, critical, serious, medium, minimal);
      case 4 -> new SeverityCounts(urgent, critical + 1, serious, medium, minimal);
      case 3 -> new SeverityCounts(urgent, critical, serious + 1, medium, minimal);
      case 2 -> new SeverityCounts(urgent, critical, serious, medium + 1, minimal);
      case 1 -> new SeverityCounts(urgent, critical, serious, medium, minimal + 1);
      default -> this;
    };
  }
}
