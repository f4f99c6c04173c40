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
  /** Exit 40, or reports missing, unreadable or holding results the parser cannot map: not a full verdict. */
  PARTIAL,
  /**
   * The function's code sha or revision differed before and after qscanner (or from what Resolve Target saw): what
   * was scanned is not the resolved code, so the result is a verdict on neither.
   */
  CODE_CHANGED
}
