package com.qualys.lambdascanner.common.model;

/** How a scan that ran to its end came out (qscanner exit codes 0, 42, 43, 40). */
public enum Outcome {
  /** Exit 0 in get-report mode. */
  COMPLETED,
  /** Exit 0 in evaluate-policy mode. */
  POLICY_ALLOW,
  /** Exit 43: no policy was evaluated. */
  POLICY_AUDIT,
  /** Exit 42: a policy denies this code. */
  POLICY_DENY,
  /** Exit 40, or reports missing or unreadable: inventory without a full report. */
  PARTIAL
}
