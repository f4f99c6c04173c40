package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.NotificationResult;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.TaskError;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import com.qualys.lambdascanner.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The real function code against moto's SNS and EventBridge as its own role (the stack's IAM enforced): what subscribers receive. */
class NotifyIT {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final String FAKE_TOKEN = "qualys-fake-token-7f3a9c1e5b2d4086";

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack().setup(stack -> {
    try (SnsClient sns = stack.harness(SnsClient.builder())) {
      String topic = sns.createTopic(b -> b.name("scan-results-notify-it")).topicArn();
      stack.physical("FindingsTopic", topic, topic);
    }
  }).build();

  /** The deployer's clients: topic subscriptions, queues and rules that read back what Notify sent. */
  private static SnsClient sns;
  private static SqsClient sqs;
  private static EventBridgeClient events;
  /** Notify's own: sessions of its role. */
  private static SnsClient notifySns;
  private static EventBridgeClient notifyEvents;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final String topicArn = "arn:aws:sns:us-east-1:123456789012:scan-results-notify-it";
  private String suffix;

  @BeforeAll
  static void clients() {
    sns = AWS.harness(SnsClient.builder());
    sqs = AWS.harness(SqsClient.builder());
    events = AWS.harness(EventBridgeClient.builder());
    notifySns = AWS.client(SnsClient.builder(), "NotifyFunctionRole");
    notifyEvents = AWS.client(EventBridgeClient.builder(), "NotifyFunctionRole");
  }


  @BeforeEach
  void suffix() {
    suffix = UUID.randomUUID().toString();
  }

  private Notify service(boolean publishEvents, String topic) {
    return new Notify(
        notifySns, notifyEvents, new NotifyConfig(topic, publishEvents, "default"), json, new StructuredLog(json, logger),
        new ResultRecordBuilder(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private record Queue(String url, String arn) {}

  private Queue queue(String name) {
    String url = sqs.createQueue(b -> b.queueName(name + "-" + suffix)).queueUrl();
    String arn =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    return new Queue(url, arn);
  }

  private Queue subscribed(String name, String filterPolicy) {
    Queue queue = queue(name);
    sns.subscribe(
        b -> {
          b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn());
          if (filterPolicy != null) {
            b.attributes(Map.of("FilterPolicy", filterPolicy));
          }
        });
    return queue;
  }

  /** Everything in the queue now; moto delivers during the publish call, so a short wait suffices. */
  private List<Message> drain(Queue queue) {
    List<Message> all = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      var batch =
          sqs.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
      all.addAll(batch);
      if (batch.isEmpty()) {
        break;
      }
    }
    return all;
  }

  private JsonNode tree(String text) {
    try {
      return json.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void notify_whenFilterPolicyOnHighestSeverity_expectOnlyMatchingMessages() {
    Queue severe = subscribed("severe", "{\"highestSeverity\": [{\"numeric\": [\">=\", 4]}]}");
    Queue everything = subscribed("all", null);
    Notify sut = service(false, topicArn);

    NotificationResult deny = sut.notify(Fixtures.scanned());
    NotificationResult clean = sut.notify(Fixtures.clean(Fixtures.scanned()));

    assertThat(deny.published()).isTrue();
    assertThat(deny.messageId()).isNotBlank();
    assertThat(clean.messageId()).isNotBlank().isNotEqualTo(deny.messageId());
    List<Message> severeMessages = drain(severe);
    assertThat(severeMessages).hasSize(1);
    JsonNode envelope = tree(severeMessages.getFirst().body());
    assertThat(envelope.get("Subject").asText())
        .isEqualTo("[DENY] orders-api: 2 urgent, 5 critical (123456789012/us-east-1)");
    assertThat(envelope.at("/MessageAttributes/highestSeverity/Value").asText()).isEqualTo("5");
    JsonNode summary = tree(envelope.get("Message").asText());
    assertThat(summary.get("status").asText()).isEqualTo("POLICY_DENY");
    assertThat(summary.get("scanId").asText()).isEqualTo("3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17");
    assertThat(drain(everything)).hasSize(2);
  }

  @Test
  void notify_whenFailedWithTokenInCause_expectRedactedMessage() {
    Queue everything = subscribed("all", null);
    RecordRequest failed = Events.request("notify", "failed.json");
    PipelineState s = failed.state();
    String cause =
        "{\"errorType\":\"com.qualys.lambdascanner.common.error.TerminalException\","
            + "\"errorMessage\":\"qscanner said: access_token=" + FAKE_TOKEN + " rejected\","
            + "\"stackTrace\":[\"a.B.c(B.java:1)\"]}";
    RecordRequest leaky =
        new RecordRequest(
            failed.executionArn(),
            failed.ending(),
            new PipelineState(
                s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(),
                s.record(), new TaskError(s.error().error(), cause)));

    NotificationResult result = service(false, topicArn).notify(leaky);

    List<Message> messages = drain(everything);
    assertThat(messages).hasSize(1);
    assertThat(messages.getFirst().body()).contains("TerminalException").doesNotContain(FAKE_TOKEN);
    assertThat(messages.getFirst().body()).doesNotContain("B.java");
    assertThat(result.subject()).startsWith("[FAILED] orders-api");
    assertThat(logger.all()).doesNotContain(FAKE_TOKEN);
  }

  @Test
  void notify_whenScanEventsOn_expectEventOnRuleTarget() {
    Queue target = queue("events");
    String scanId = "scan-" + suffix;
    String rule = "scan-completed-" + suffix;
    events.putRule(
        b -> b.name(rule)
            .eventPattern(
                "{\"source\": [\"qualys.lambda-scanner\"], \"detail-type\": [\"Lambda Scan Completed\"],"
                    + " \"detail\": {\"scanId\": [\"" + scanId + "\"], \"status\": [\"POLICY_DENY\"]}}"));
    events.putTargets(b -> b.rule(rule).targets(t -> t.id("queue").arn(target.arn())));

    service(true, topicArn).notify(Fixtures.withScanId(Fixtures.scanned(), scanId));

    List<Message> messages = drain(target);
    assertThat(messages).hasSize(1);
    JsonNode event = tree(messages.getFirst().body());
    assertThat(event.get("source").asText()).isEqualTo("qualys.lambda-scanner");
    assertThat(event.get("detail-type").asText()).isEqualTo("Lambda Scan Completed");
    assertThat(event.at("/detail/scanId").asText()).isEqualTo(scanId);
    assertThat(event.at("/detail/highestSeverity").asInt()).isEqualTo(5);
    assertThat(event.get("resources").get(0).asText())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders-api");
  }

  @Test
  void notify_whenScanEventsOff_expectNoEvent() {
    Queue target = queue("events-off");
    String scanId = "scan-off-" + suffix;
    String rule = "scan-completed-off-" + suffix;
    events.putRule(
        b -> b.name(rule).eventPattern("{\"source\": [\"qualys.lambda-scanner\"], \"detail\": {\"scanId\": [\"" + scanId + "\"]}}"));
    events.putTargets(b -> b.rule(rule).targets(t -> t.id("queue").arn(target.arn())));

    service(false, topicArn).notify(Fixtures.withScanId(Fixtures.scanned(), scanId));

    assertThat(drain(target)).isEmpty();
  }

  @Test
  void notify_whenSkipped_expectNothingPublished() {
    Queue everything = subscribed("all", null);

    NotificationResult result = service(true, topicArn).notify(Events.request("store-results", "skipped.json"));

    assertThat(result.published()).isFalse();
    assertThat(result.messageId()).isNull();
    assertThat(result.subject()).isNull();
    assertThat(drain(everything)).isEmpty();
  }

  @Test
  void notify_whenOptOutHonoured_expectSkippedMessageWithItsReason() {
    Queue everything = subscribed("all", null);

    NotificationResult result =
        service(false, topicArn).notify(Events.request("notify", "skipped-opt-out.json"));

    assertThat(result.published()).isTrue();
    assertThat(result.subject()).startsWith("[SKIPPED] orders-api").contains("excluded_by_tag");
    assertThat(drain(everything)).singleElement().extracting(Message::body).asString()
        .contains("EXCLUDED_BY_TAG").contains("opted it out").contains("SKIPPED");
  }

  @Test
  void notify_whenTopicMissing_expectTerminal() {
    // Its role may publish to the stack's topic only: for any other, SNS answers AuthorizationError, as on AWS.
    String missing = "arn:aws:sns:us-east-1:123456789012:no-such-topic-" + suffix;

    assertThatThrownBy(() -> service(false, missing).notify(Fixtures.scanned()))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(missing);
  }

  @Test
  void handleRequest_whenFailedSample_expectResultJson() throws Exception {
    Queue everything = subscribed("all", null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (InputStream in = Files.newInputStream(Events.path("notify", "failed.json"))) {
      new NotifyHandler(service(false, topicArn)).handleRequest(in, out, null);
    }

    NotificationResult result = json.read(new ByteArrayInputStream(out.toByteArray()), NotificationResult.class);
    assertThat(result.topicArn()).isEqualTo(topicArn);
    assertThat(result.messageId()).isNotBlank();
    String body = drain(everything).getFirst().body();
    assertThat(body).doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE").doesNotContain("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  }

  @Test
  void component_whenWiredWithEnvironment_expectPublished() {
    Queue everything = subscribed("all", null);
    AWS.actAsDefault("NotifyFunctionRole");
    Notify wired =
        DaggerNotifyComponent.builder()
            .notifyModule(new NotifyModule(Env.of(Map.of("TOPIC_ARN", topicArn, "PUBLISH_SCAN_EVENTS", "false"))))
            .build()
            .notifier();

    wired.notify(Fixtures.scanned());

    assertThat(drain(everything)).hasSize(1);
  }
}
