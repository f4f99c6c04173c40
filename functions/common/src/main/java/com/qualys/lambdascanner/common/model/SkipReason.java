package com.qualys.lambdascanner.common.model;

/** Why an accepted event leads to no scan. Each one is stored in the result record. */
public enum SkipReason {
  /** The API call itself failed ({@code errorCode} in the CloudTrail event): nothing changed. */
  FAILED_CALL,
  /** The function no longer exists (deleted since the event). */
  NOT_FOUND,
  /** The function carries the exclusion tag. */
  EXCLUDED_BY_TAG,
  /** The function name matches the configured exclusion pattern. */
  EXCLUDED_BY_NAME,
  /** The function is one of this scanner's own functions. */
  SELF,
  /** The same code (and layers) was already scanned or is being scanned. */
  DUPLICATE,
  /** The event is not one this pipeline scans for. */
  UNSUPPORTED_EVENT
}
