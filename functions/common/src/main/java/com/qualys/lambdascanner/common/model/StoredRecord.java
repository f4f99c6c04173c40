package com.qualys.lambdascanner.common.model;

import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.record.Suppressions;
import com.qualys.lambdascanner.common.risk.FunctionRisk;

/**
 * Store Results' output: where the result record is.
 *
 * @param bucket the results bucket
 * @param key the record's key
 * @param latestKey the key of the function's {@code latest} record, or null when not updated (skips)
 * @param status the record's status
 * @param changes what is new and fixed since the previous scan (Notify leads with it), null when not computed
 * @param suppressions what the suppression list suppressed, null when not applied
 * @param quarantine what the quarantine on DENY did, null when it did not act
 * @param risk the function's risk over all its findings (Notify keys chat and alerts on it), null when not scanned
 */
public record StoredRecord(
    String bucket,
    String key,
    String latestKey,
    RecordStatus status,
    FindingChanges changes,
    Suppressions suppressions,
    QuarantineResult quarantine,
    FunctionRisk risk) {

  public StoredRecord(String bucket, String key, String latestKey, RecordStatus status) {
    this(bucket, key, latestKey, status, null, null, null, null);
  }

  public StoredRecord(
      String bucket,
      String key,
      String latestKey,
      RecordStatus status,
      FindingChanges changes,
      Suppressions suppressions) {
    this(bucket, key, latestKey, status, changes, suppressions, null, null);
  }
}
