package com.qualys.lambdascanner.fleet.coverage;

/** A function's state in a fleet run's coverage (docs/coverage.md). */
public enum CoverageState {
  /** A completed scan within the freshness window: this run's, or the one that made this run's a duplicate. */
  SCANNED,
  /** Excluded by tag, by name, or the scanner's own function. */
  EXCLUDED,
  /** Its account or region could not be read. */
  UNREACHABLE,
  /** Its scan failed or timed out, or its scan execution could not be run. */
  FAILED,
  /** Its last result is older than the freshness window or not a completed scan, and no new one came this run. */
  STALE,
  /** Found, but no scan result for it (deleted since the listing, in progress elsewhere, or the map stopped). */
  NOT_SCANNED
}
