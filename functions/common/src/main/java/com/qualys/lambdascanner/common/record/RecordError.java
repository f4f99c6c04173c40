package com.qualys.lambdascanner.common.record;

/**
 * Why an execution failed, safe to store and publish: redacted and bounded, without stack traces.
 *
 * @param type the error name as Step Functions reports it (an exception class name, {@code States.Timeout})
 * @param message the error message, redacted and at most {@link ResultRecordBuilder#MAX_ERROR_MESSAGE_CHARS}
 *     characters; null when the error carried none
 */
public record RecordError(String type, String message) {}
