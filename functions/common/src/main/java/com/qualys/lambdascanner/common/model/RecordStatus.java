package com.qualys.lambdascanner.common.model;

/** The result record's status: what a reader filters on. */
public enum RecordStatus {
  SUCCEEDED,
  POLICY_DENY,
  POLICY_AUDIT,
  PARTIAL,
  FAILED,
  TIMED_OUT,
  SKIPPED
}
