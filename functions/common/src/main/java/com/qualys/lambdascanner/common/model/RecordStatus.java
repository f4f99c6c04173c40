package com.qualys.lambdascanner.common.model;

/** The result record's status: what a reader filters on. */
public enum RecordStatus {
  SUCCEEDED,
  POLICY_DENY,
  POLICY_AUDIT,
  PARTIAL,
  /** The code changed during the scan: no verdict (Outcome.CODE_CHANGED). */
  CODE_CHANGED,
  FAILED,
  TIMED_OUT,
  SKIPPED
}
