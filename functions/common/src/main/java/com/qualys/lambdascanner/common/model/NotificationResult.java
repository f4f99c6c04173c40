package com.qualys.lambdascanner.common.model;

/**
 * Notify's output.
 *
 * @param published whether a message went out (skips are recorded, not notified)
 * @param topicArn the topic published to
 * @param messageId SNS's message id, or null when nothing was published
 * @param subject the subject sent, or null when nothing was published
 */
public record NotificationResult(boolean published, String topicArn, String messageId, String subject) {}
