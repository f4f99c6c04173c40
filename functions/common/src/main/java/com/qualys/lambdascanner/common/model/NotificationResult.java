package com.qualys.lambdascanner.common.model;

/**
 * Notify's output.
 *
 * @param topicArn the topic published to
 * @param messageId SNS's message id
 * @param subject the subject sent
 */
public record NotificationResult(String topicArn, String messageId, String subject) {}
