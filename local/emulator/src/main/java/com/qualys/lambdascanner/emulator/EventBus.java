package com.qualys.lambdascanner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.event.ruler.Machine;

/**
 * EventBridge's delivery to the targets that name a role: a state machine ({@code states:StartExecution}) and another
 * account's or region's bus ({@code events:PutEvents}, the spokes' forwarder). moto keeps the rules (PutRule,
 * PutTargets) and accepts PutEvents from anyone; for each rule with such a target on the bus an event was put on, the
 * patched moto (moto-patches/sitecustomize.py) posts the event and the rule here. Then, as AWS does:
 *
 * <ol>
 *   <li>the rule's pattern is matched with AWS's own matcher (event-ruler), not moto's;
 *   <li>{@code events.amazonaws.com} assumes the target's role: the role's trust policy alone decides, with
 *       {@code aws:SourceArn} = the rule and {@code aws:SourceAccount} = the rule's account;
 *   <li>the role's session makes the target call through {@link LocalLambda}'s forwarder, enforced as that role (for a
 *       bus in another account, the bus policy too); the event is the target's input (no InputPath, InputTransformer
 *       or Input: the templates use none, and a target that has one is not delivered, and says so);
 *   <li>a refused or failed call goes to the target's dead-letter queue, sent by {@code events.amazonaws.com} with
 *       {@code aws:SourceArn} = the rule (the queue's policy decides), with EventBridge's attributes {@code RULE_ARN},
 *       {@code TARGET_ARN}, {@code ERROR_CODE}, {@code ERROR_MESSAGE}. Refusals are not retried (AWS: errors of
 *       permissions or a missing resource go to the dead-letter queue at once); other failures are not retried here
 *       either.
 * </ol>
 *
 * <p>An event forwarded to another bus keeps its envelope (id, account, region, time, resources), as EventBridge's
 * bus-to-bus delivery does: moto would give it the sender's account and the receiving bus's region.
 */
public final class EventBus implements AutoCloseable {

  static final String PATH = "/_local/eventbridge/matched";
  public static final String SERVICE = "events.amazonaws.com";

  /**
   * One target's delivery of one event ({@code event}: as the target got it): {@code outcome} DELIVERED (
   * {@code result}: the target's answer), DEAD_LETTERED ({@code result}: the queue), DEAD_LETTER_REFUSED (the queue's
   * policy refused EventBridge: the event is lost, as AWS counts in InvocationsFailedToBeSentToDLQ) or DROPPED (no
   * dead-letter queue, or not deliverable here).
   */
  public record Delivery(String ruleArn, String targetArn, String eventId, String event, String outcome,
      String errorCode, String errorMessage, String result) {}

  private final ServiceCalls calls;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  /** Events this bus is forwarding now: the receiving bus's copy gets the original envelope back. */
  private final Map<String, JsonNode> forwarding = new ConcurrentHashMap<>();

  private EventBus(ServiceCalls calls) {
    this.calls = calls;
  }

  /**
   * Delivers the role targets of the rules moto keeps behind {@code lambda} (which must forward to {@code moto}),
   * evaluating with {@code authorization} (null: {@code AUTHZ=off}, nothing evaluated).
   */
  public static EventBus start(LocalLambda lambda, URI moto, Authorization authorization) {
    EventBus bus = new EventBus(new ServiceCalls(authorization, lambda.endpoint(), moto));
    lambda.eventBus(bus);
    return bus;
  }

  /** Every delivery so far, in order. */
  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** moto's post: answered at once (EventBridge delivers asynchronously), then matched and delivered. */
  void matched(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    exchange.sendResponseHeaders(204, -1);
    JsonNode post = ServiceCalls.parse(new String(body, StandardCharsets.UTF_8));
    String ruleArn = post.path("ruleArn").asText();
    if (!(post.path("event") instanceof ObjectNode posted) || ruleArn.split(":").length < 6) {
      return; // not the patched moto's post
    }
    ObjectNode event = restoreEnvelope(busOf(ruleArn), posted);
    if (!matches(post.path("eventPattern").asText(null), event)) {
      return;
    }
    for (JsonNode target : post.path("targets")) {
      threads.submit(() -> deliver(ruleArn, target, event));
    }
  }

  private static boolean matches(String pattern, JsonNode event) {
    if (pattern == null || pattern.isBlank()) {
      return false; // a scheduled rule: no events
    }
    try {
      Machine machine = new Machine();
      machine.addRule("rule", pattern);
      return !machine.rulesForJSONEvent(event.toString()).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private void deliver(String ruleArn, JsonNode target, ObjectNode event) {
    String roleArn = target.path("RoleArn").asText();
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("aws:SourceArn", ruleArn);
    source.put("aws:SourceAccount", ruleArn.split(":")[4]);
    try {
      if (target.has("Input") || target.has("InputPath") || target.has("InputTransformer")) {
        record(ruleArn, target, event, "DROPPED", "INVALID_PARAMETER",
            "the emulator does not apply Input, InputPath or InputTransformer", null);
        return;
      }
      Authorization.Decision trust = calls.asService(SERVICE, "sts:AssumeRole", roleArn, source);
      if (!trust.allowed()) {
        deadLetter(ruleArn, target, event, "FAILED_TO_ASSUME_ROLE", SERVICE + " could not assume " + roleArn, source);
        return;
      }
      String key = calls.session(roleArn, ServiceCalls.sessionName("events"));
      ServiceCalls.Answer answer = call(key, target.path("Arn").asText(), event);
      if (answer.ok()) {
        record(ruleArn, target, event, "DELIVERED", null, null, answer.body());
      } else {
        deadLetter(ruleArn, target, event, errorCode(answer), answer.errorType() + ": " + answer.body(), source);
      }
    } catch (Exception e) {
      record(ruleArn, target, event, "DROPPED", "INTERNAL_ERROR", e.toString(), null);
    }
  }

  private void record(String ruleArn, JsonNode target, JsonNode event, String outcome, String errorCode,
      String errorMessage, String result) {
    deliveries.add(new Delivery(ruleArn, target.path("Arn").asText(), event.path("id").asText(), event.toString(),
        outcome, errorCode, errorMessage, result));
  }

  private ServiceCalls.Answer call(String key, String targetArn, ObjectNode event) throws Exception {
    String[] arn = targetArn.split(":");
    if (arn[2].equals("states")) {
      return calls.startExecution(key, targetArn, event.toString());
    }
    if (arn[2].equals("events") && arn[5].startsWith("event-bus/")) {
      ObjectNode entry = ServiceCalls.object().put("Source", event.path("source").asText())
          .put("DetailType", event.path("detail-type").asText()).put("Detail", event.path("detail").toString())
          .put("EventBusName", targetArn);
      entry.set("Resources", event.path("resources"));
      ObjectNode put = ServiceCalls.object();
      put.putArray("Entries").add(entry);
      String pending = forwardingKey(targetArn, event);
      forwarding.put(pending, event);
      try {
        ServiceCalls.Answer answer = calls.call(key, arn[3], "events", "AWSEvents.PutEvents",
            "application/x-amz-json-1.1", put);
        if (answer.ok() && ServiceCalls.parse(answer.body()).path("FailedEntryCount").asInt() > 0) {
          return new ServiceCalls.Answer(400, "PutEventsFailedEntry", answer.body());
        }
        return answer;
      } finally {
        forwarding.remove(pending);
      }
    }
    return new ServiceCalls.Answer(400, "UnsupportedTarget", "the emulator delivers to state machines and buses only");
  }

  /** EventBridge's ERROR_CODE for a refused or failed target call. */
  private static String errorCode(ServiceCalls.Answer answer) {
    String type = String.valueOf(answer.errorType());
    if (type.contains("AccessDenied")) {
      return "NO_PERMISSIONS";
    }
    if (type.contains("DoesNotExist") || type.contains("NotFound")) {
      return "NO_RESOURCE";
    }
    if (type.contains("Throttl")) {
      return "THROTTLING";
    }
    return answer.status() >= 500 ? "INTERNAL_ERROR" : "ERROR_FROM_TARGET";
  }

  private void deadLetter(String ruleArn, JsonNode target, JsonNode event, String errorCode, String errorMessage,
      Map<String, Object> source) throws IOException, InterruptedException {
    String queueArn = target.path("DeadLetterConfig").path("Arn").asText(null);
    if (queueArn == null) {
      record(ruleArn, target, event, "DROPPED", errorCode, errorMessage, null);
      return;
    }
    Authorization.Decision send = calls.asService(SERVICE, "sqs:SendMessage", queueArn, source);
    if (!send.allowed()) {
      // AWS counts it in InvocationsFailedToBeSentToDLQ; the event is lost.
      record(ruleArn, target, event, "DEAD_LETTER_REFUSED", errorCode, errorMessage, queueArn);
      return;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("RULE_ARN", ruleArn);
    attributes.put("TARGET_ARN", target.path("Arn").asText());
    attributes.put("ERROR_CODE", errorCode);
    attributes.put("ERROR_MESSAGE", errorMessage.length() > 256 ? errorMessage.substring(0, 256) : errorMessage);
    calls.sendMessage(queueArn, event.toString(), attributes);
    record(ruleArn, target, event, "DEAD_LETTERED", errorCode, errorMessage, queueArn);
  }

  /** The bus a rule belongs to: {@code rule/<name>} is the default bus's, {@code rule/<bus>/<name>} another's. */
  static String busOf(String ruleArn) {
    String[] arn = ruleArn.split(":", 6);
    String[] path = arn[5].split("/");
    String bus = path.length > 2 ? path[1] : "default";
    return String.join(":", arn[0], arn[1], arn[2], arn[3], arn[4], "event-bus/" + bus);
  }

  private ObjectNode restoreEnvelope(String busArn, ObjectNode event) {
    JsonNode original = forwarding.get(forwardingKey(busArn, event));
    if (original == null) {
      return event;
    }
    ObjectNode restored = event.deepCopy();
    for (String field : List.of("id", "account", "region", "time", "resources")) {
      restored.set(field, original.path(field));
    }
    return restored;
  }

  private static String forwardingKey(String busArn, JsonNode event) {
    return busArn + "\n" + event.path("source").asText() + "\n" + event.path("detail-type").asText() + "\n"
        + event.path("detail");
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
