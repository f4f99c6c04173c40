package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Scans of sample functions on one pipeline, for the findings ITs: each target created from the sample and
 * registered for the leak check, each execution registered too, and the few reads the assertions need.
 */
final class Scans {

  private static final Duration LIMIT = Duration.ofMinutes(4);

  private final LocalPipeline pipeline;
  private final Leaks leaks;

  Scans(LocalPipeline pipeline, Leaks leaks) {
    this.pipeline = pipeline;
    this.leaks = leaks;
  }

  /** The update-function-code sample about this function, which is created in the emulator. */
  JsonNode target(String functionName) {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", functionName);
    pipeline.ensureTarget(event);
    leaks.registerTarget(pipeline.lambdaControl(), functionName);
    return event;
  }

  /** A deploy of other code, and the event about it (the dedup claim of the previous code does not skip it). */
  JsonNode redeploy(JsonNode event, String functionName, String label) {
    JsonNode next = Redeploy.of(pipeline, event, label);
    leaks.registerTarget(pipeline.lambdaControl(), functionName);
    return next;
  }

  ExecutionReport run(JsonNode event) {
    return leaks.register(pipeline.execute(event, LIMIT));
  }

  static void assertScanned(ExecutionReport report) {
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).as(report.record().path("reason").asText()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("SNS message").isNotNull();
  }

  static String subject(ExecutionReport report) {
    return report.notification().path("Subject").asText();
  }

  static String attribute(ExecutionReport report, String name) {
    return report.notification().path("MessageAttributes").path(name).path("Value").asText(null);
  }

  Integer reservedConcurrency(String functionName) {
    return pipeline.lambdaControl().getFunctionConcurrency(b -> b.functionName(functionName))
        .reservedConcurrentExecutions();
  }

  Map<String, String> tags(String functionName) {
    return pipeline.lambdaControl()
        .listTags(b -> b.resource("arn:aws:lambda:us-east-1:123456789012:function:" + functionName)).tags();
  }

  /** A queue subscribed to the topic (with this filter policy, or none), as a subscriber would see it. */
  String subscribe(String topicArn, String queueName, String filterPolicy) {
    String url = pipeline.sqs().createQueue(b -> b.queueName(queueName)).queueUrl();
    String arn = pipeline.sqs().getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    pipeline.sns().subscribe(b -> {
      b.topicArn(topicArn).protocol("sqs").endpoint(arn);
      if (filterPolicy != null) {
        b.attributes(Map.of("FilterPolicy", filterPolicy));
      }
    });
    return url;
  }

  /** The SNS messages (their Message, parsed) a queue got so far: read until it is quiet (SNS to SQS is async). */
  List<JsonNode> messages(String queueUrl) {
    List<JsonNode> received = new ArrayList<>();
    Instant giveUp = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(giveUp)) {
      List<Message> batch = pipeline.sqs().receiveMessage(b -> b.queueUrl(queueUrl)
          .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
      if (batch.isEmpty() && !received.isEmpty()) {
        break;
      }
      batch.forEach(m -> received.add(Samples.json(Samples.json(m.body()).path("Message").asText())));
    }
    return received;
  }
}
