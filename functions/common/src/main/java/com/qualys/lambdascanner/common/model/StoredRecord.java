package com.qualys.lambdascanner.common.model;

/**
 * Store Results' output: where the result record is.
 *
 * @param bucket the results bucket
 * @param key the record's key
 * @param latestKey the key of the function's {@code latest} record, or null when not updated (skips)
 * @param status the record's status
 */
public record StoredRecord(String bucket, String key, String latestKey, RecordStatus status) {}
