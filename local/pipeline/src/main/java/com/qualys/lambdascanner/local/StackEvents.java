package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.EventBus;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * EventBridge and EventBridge Scheduler as the stack deploys them: the rendered templates' dead-letter queues, buses,
 * rules (with their targets: role, retry policy, dead-letter queue) and schedules, created in moto in their accounts
 * and regions by the harness (the deployer). {@link EventBus} (local/emulator) delivers the rules' role targets as
 * EventBridge does; {@link #fireSchedule} fires a schedule now, as Scheduler would at its time.
 */
public final class StackEvents implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalClients clients;
  private final JsonNode rendered;
  private final EventBus bus;
  private final Scheduler scheduler;

  private StackEvents(LocalClients clients, JsonNode rendered, EventBus bus, Scheduler scheduler) {
    this.clients = clients;
    this.rendered = rendered;
    this.bus = bus;
    this.scheduler = scheduler;
  }

  /** Deploys what {@code renderedPolicies} (render_policies.py's output) lists, and starts delivering. */
  static StackEvents deploy(Path renderedPolicies, LocalClients clients, LocalLambda lambda, URI moto,
      Authorization authorization) {
    JsonNode rendered;
    try {
      rendered = JSON.readTree(renderedPolicies.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode queue : rendered.path("queues")) {
      try (SqsClient sqs = clients.build(SqsClient.builder(), clients.credentialsFor(account(queue)),
          Region.of(region(queue)))) {
        sqs.createQueue(b -> b.queueName(queue.path("name").asText()));
      }
    }
    for (JsonNode eventBus : rendered.path("buses")) {
      try (EventBridgeClient events = events(clients, eventBus)) {
        events.createEventBus(b -> b.name(eventBus.path("name").asText()));
      }
    }
    for (JsonNode rule : rendered.path("rules")) {
      try (EventBridgeClient events = events(clients, rule)) {
        putRule(events, rule);
      }
    }
    for (JsonNode schedule : rendered.path("schedules")) {
      JsonNode target = schedule.path("target");
      JsonNode window = schedule.path("flexibleTimeWindow");
      try (SchedulerClient scheduler = scheduler(clients, schedule)) {
        scheduler.createSchedule(b -> b.name(schedule.path("name").asText())
            .scheduleExpression(schedule.path("scheduleExpression").asText())
            .flexibleTimeWindow(w -> w.mode(window.path("Mode").asText("OFF"))
                .maximumWindowInMinutes(window.has("MaximumWindowInMinutes")
                    ? window.path("MaximumWindowInMinutes").asInt() : null))
            .target(t -> t.arn(target.path("Arn").asText()).roleArn(target.path("RoleArn").asText())
                .input(target.path("Input").asText(null))));
      }
    }
    return new StackEvents(clients, rendered, EventBus.start(lambda, moto, authorization),
        new Scheduler(lambda, moto, authorization));
  }

  /** The rule in moto (PutRule) with its targets (PutTargets), as CloudFormation creates them. */
  private static void putRule(EventBridgeClient events, JsonNode rule) {
    String name = rule.path("name").asText();
    String busName = rule.path("eventBusName").asText();
    events.putRule(b -> b.name(name).eventBusName(busName).eventPattern(rule.path("eventPattern").toString())
        .state(rule.path("state").asText("ENABLED")));
    List<Target> targets = new ArrayList<>();
    for (JsonNode target : rule.path("targets")) {
      JsonNode retry = target.path("RetryPolicy");
      Target.Builder built = Target.builder().id(target.path("Id").asText()).arn(target.path("Arn").asText())
          .roleArn(target.path("RoleArn").asText(null))
          .retryPolicy(r -> r.maximumRetryAttempts(retry.path("MaximumRetryAttempts").asInt(185))
              .maximumEventAgeInSeconds(retry.path("MaximumEventAgeInSeconds").asInt(86400)));
      if (target.has("DeadLetterConfig")) {
        built.deadLetterConfig(d -> d.arn(target.path("DeadLetterConfig").path("Arn").asText()));
      }
      targets.add(built.build());
    }
    events.putTargets(b -> b.rule(name).eventBusName(busName).targets(targets));
  }

  /** The harness's EventBridge client in an account and region (it stands for AWS services putting events). */
  public EventBridgeClient harness(String account, String region) {
    return clients.build(EventBridgeClient.builder(), clients.credentialsFor(account), Region.of(region));
  }

  /** The deployed rule of the template resource {@code logicalId} in that account and region: its ARN. */
  public String ruleArn(String logicalId, String account, String region) {
    return find("rules", logicalId, account, region).path("arn").asText();
  }

  /** The deployed dead-letter queue (template resource {@code logicalId}) in that account and region: its ARN. */
  public String queueArn(String logicalId, String account, String region) {
    return find("queues", logicalId, account, region).path("arn").asText();
  }

  /** The (one) target of a deployed rule, as moto keeps it (ListTargetsByRule). */
  public Target target(String ruleArn) {
    try (EventBridgeClient events = eventsOf(ruleArn)) {
      return events.listTargetsByRule(b -> b.rule(ruleName(ruleArn)).eventBusName(busName(ruleArn))).targets()
          .getFirst();
    }
  }

  /** Points a deployed rule's target at another ARN, with the same role, retry policy and dead-letter queue. */
  public void retarget(String ruleArn, String targetArn) {
    Target changed = target(ruleArn).toBuilder().arn(targetArn).build();
    try (EventBridgeClient events = eventsOf(ruleArn)) {
      events.putTargets(b -> b.rule(ruleName(ruleArn)).eventBusName(busName(ruleArn)).targets(changed));
    }
  }

  /** A rule that is not the stack's, on the default bus, with one target: its ARN. */
  public String putRule(String account, String region, String name, String pattern, String targetArn, String roleArn,
      String deadLetterQueueArn) {
    try (EventBridgeClient events = clients.build(EventBridgeClient.builder(), clients.credentialsFor(account),
        Region.of(region))) {
      String arn = events.putRule(b -> b.name(name).eventPattern(pattern)).ruleArn();
      events.putTargets(b -> b.rule(name).targets(t -> t.id("target").arn(targetArn).roleArn(roleArn)
          .deadLetterConfig(d -> d.arn(deadLetterQueueArn))));
      return arn;
    }
  }

  /**
   * The message a dead-letter queue holds for the event {@code eventId}, with its attributes (waiting up to 10 s),
   * deleted from the queue; others are left for their own readers.
   */
  public Message receiveDeadLetter(String queueArn, String eventId) {
    String[] arn = queueArn.split(":");
    try (SqsClient sqs = clients.build(SqsClient.builder(), clients.credentialsFor(arn[4]), Region.of(arn[3]))) {
      String url = sqs.getQueueUrl(b -> b.queueName(arn[5]).queueOwnerAWSAccountId(arn[4])).queueUrl();
      java.time.Instant giveUp = java.time.Instant.now().plusSeconds(10);
      while (java.time.Instant.now().isBefore(giveUp)) {
        for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
            .visibilityTimeout(0).messageAttributeNames("All")).messages()) {
          if (JSON.readTree(message.body()).path("id").asText().equals(eventId)) {
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            return message;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no message for event " + eventId + " in " + queueArn);
  }

  private EventBridgeClient eventsOf(String ruleArn) {
    String[] arn = ruleArn.split(":");
    return clients.build(EventBridgeClient.builder(), clients.credentialsFor(arn[4]), Region.of(arn[3]));
  }

  private static String ruleName(String ruleArn) {
    return ruleArn.substring(ruleArn.lastIndexOf('/') + 1);
  }

  private static String busName(String ruleArn) {
    String[] path = ruleArn.substring(ruleArn.indexOf(":rule/") + 6).split("/");
    return path.length > 1 ? path[0] : "default";
  }

  /** Every delivery of a rule's role target so far ({@link EventBus}). */
  public List<EventBus.Delivery> deliveries() {
    return bus.deliveries();
  }

  /**
   * Fires the template's schedule {@code logicalId} now, as EventBridge Scheduler would at its time: the schedule as
   * moto keeps it (GetSchedule), its role assumed by {@code scheduler.amazonaws.com}, its target called as that role.
   */
  public Scheduler.Firing fireSchedule(String logicalId) {
    JsonNode schedule = find("schedules", logicalId, null, null);
    GetScheduleResponse deployed = scheduler(clients, schedule)
        .getSchedule(b -> b.name(schedule.path("name").asText()));
    return scheduler.fire(deployed.arn(), deployed.target().arn(), deployed.target().roleArn(),
        deployed.target().input());
  }

  private JsonNode find(String kind, String logicalId, String account, String region) {
    for (JsonNode node : rendered.path(kind)) {
      if (node.path("logicalId").asText().equals(logicalId) && (account == null || account(node).equals(account))
          && (region == null || region(node).equals(region))) {
        return node;
      }
    }
    throw new IllegalArgumentException("the rendered templates deploy no " + logicalId + " in " + account + "/"
        + region);
  }

  private static EventBridgeClient events(LocalClients clients, JsonNode resource) {
    return clients.build(EventBridgeClient.builder(), clients.credentialsFor(account(resource)),
        Region.of(region(resource)));
  }

  private static SchedulerClient scheduler(LocalClients clients, JsonNode resource) {
    return clients.build(SchedulerClient.builder(), clients.credentialsFor(account(resource)),
        Region.of(region(resource)));
  }

  private static String account(JsonNode resource) {
    return resource.path("account").asText();
  }

  private static String region(JsonNode resource) {
    return resource.path("region").asText();
  }

  @Override
  public void close() {
    bus.close();
  }
}
