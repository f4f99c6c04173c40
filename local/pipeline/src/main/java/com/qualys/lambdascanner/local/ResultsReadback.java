package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What a run left behind, read back: the objects of the results bucket, and the messages published to the findings
 * topic (through the two queues subscribed to it).
 */
final class ResultsReadback {

  private final LocalClients clients;
  private final PipelineResources resources;
  /** Notifications read back for a scan other than the one asked for, kept for its own report. */
  private final Map<String, JsonNode> unclaimedMessages = new ConcurrentHashMap<>();

  ResultsReadback(LocalClients clients, PipelineResources resources) {
    this.clients = clients;
    this.resources = resources;
  }

  /**
   * The SNS message for this scan (its Message names the scan id), read back from the queue subscribed to the
   * topic; null when none came within {@code wait}. Other scans' messages are kept for their own reports.
   */
  synchronized JsonNode notification(String scanId, Duration wait) {
    String queueUrl = resources.queueUrl();
    Instant giveUp = Instant.now().plus(wait);
    do {
      JsonNode kept = claim(scanId);
      if (kept != null) {
        return kept;
      }
      List<Message> messages = clients.sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      for (Message message : messages) {
        clients.sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        unclaimedMessages.put(message.messageId(), LocalPipeline.parse(message.body()));
      }
    } while (Instant.now().isBefore(giveUp));
    return claim(scanId);
  }

  /** A kept message naming the scan, removed from the kept ones; null when none does. */
  private JsonNode claim(String scanId) {
    for (Map.Entry<String, JsonNode> kept : unclaimedMessages.entrySet()) {
      if (kept.getValue().path("Message").asText().contains(scanId)) {
        unclaimedMessages.remove(kept.getKey());
        return kept.getValue();
      }
    }
    return null;
  }

  /**
   * Every message published to the topic so far (the SQS bodies of the second subscription, which nothing else
   * reads): for the leak checks. Reading removes them from that queue.
   */
  synchronized List<String> drainPublishedMessages() {
    String auditQueueUrl = resources.auditQueueUrl();
    List<String> bodies = new ArrayList<>();
    while (true) {
      List<Message> messages = clients.sqs.receiveMessage(b -> b.queueUrl(auditQueueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      if (messages.isEmpty()) {
        return bodies;
      }
      for (Message message : messages) {
        bodies.add(message.body());
        clients.sqs.deleteMessage(b -> b.queueUrl(auditQueueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }

  /** Keys of every object in the results bucket. */
  List<String> resultObjects() {
    List<String> keys = new ArrayList<>();
    clients.s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket())).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  /** An object of the results bucket, as text. */
  String resultObject(String key) {
    return clients.s3.getObjectAsBytes(b -> b.bucket(resources.bucket()).key(key)).asUtf8String();
  }
}
