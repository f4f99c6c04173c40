package com.qualys.lambdascanner.common.model;

/**
 * What started the scan.
 *
 * @param source {@code aws.lambda} for a CloudTrail event, {@code direct} for a direct request
 * @param eventName the CloudTrail event name as recorded (e.g. {@code UpdateFunctionCode20150331v2})
 * @param eventId the CloudTrail event id, or null for a direct request
 * @param eventTime when the API call happened (ISO-8601), or when the request was made
 * @param principal who made the call (the CloudTrail user identity ARN), if known
 * @param reason free text for a direct request ({@code manual}, {@code scheduled}, ...)
 */
public record Trigger(
    String source, String eventName, String eventId, String eventTime, String principal, String reason) {}
