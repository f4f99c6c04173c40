package com.qualys.lambdascanner.common.model;

/** Which way the execution is ending; the state machine says it to Store Results and Notify. */
public enum Ending {
  /** Run QScanner returned a result. */
  SCANNED,
  /** Resolve Target decided to skip. */
  SKIPPED,
  /** A task failed for good. */
  FAILED,
  /** The scan ran out of time. */
  TIMED_OUT
}
