package com.qualys.lambdascanner.common.record;

/** The policy verdict of an evaluate-policy scan. */
public enum PolicyResult {
  ALLOW,
  AUDIT,
  DENY
}
