package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.EventBus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Events put on a bus as the AWS service that emits them (the harness stands for CloudTrail delivering Lambda's API
 * calls), and what EventBridge then did with them ({@link EventBus}): for the tests of the stack's rules.
 */
final class EventDeliveries {

  private EventDeliveries() {}

  /** The event (an EventBridge envelope, as the samples are) put on {@code bus} of its own account and region. */
  static void put(LocalPipeline pipeline, JsonNode event, String bus) {
    try (EventBridgeClient events = pipeline.events().harness(event.path("account").asText(),
        event.path("region").asText())) {
      List<String> resources = new ArrayList<>();
      event.path("resources").forEach(resource -> resources.add(resource.asText()));
      var answer = events.putEvents(b -> b.entries(e -> e.eventBusName(bus).source(event.path("source").asText())
          .detailType(event.path("detail-type").asText()).detail(event.path("detail").toString())
          .time(Instant.parse(event.path("time").asText())).resources(resources)));
      assertThat(answer.failedEntryCount()).as("PutEvents accepted").isZero();
    }
  }

  /** The first delivery by {@code ruleArn} of an event about {@code functionName}, waiting up to 30 s for it. */
  static EventBus.Delivery awaitDelivery(LocalPipeline pipeline, String ruleArn, String functionName) {
    Instant giveUp = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(giveUp)) {
      Optional<EventBus.Delivery> delivery = pipeline.events().deliveries().stream()
          .filter(d -> d.ruleArn().equals(ruleArn) && d.eventId() != null).filter(d -> about(d, functionName))
          .findFirst();
      if (delivery.isPresent()) {
        return delivery.get();
      }
      LocalPipeline.sleep(200);
    }
    throw new AssertionError("no delivery by " + ruleArn + " for " + functionName + " in 30 s: "
        + pipeline.events().deliveries());
  }

  /** The execution a delivery to a state machine started. */
  static String executionArn(EventBus.Delivery delivery) {
    assertThat(delivery.outcome()).as(delivery.toString()).isEqualTo("DELIVERED");
    return LocalPipeline.parse(delivery.result()).path("executionArn").asText();
  }

  /** The decisions on {@code action} by {@code principal} (a role ARN, or a service principal) on {@code resource}. */
  static List<Authorization.Decision> decisions(LocalPipeline pipeline, String principal, String action,
      String resource) {
    return pipeline.authorization().decisions().stream().filter(d -> d.principal().equals(principal)
        && d.action().equals(action) && d.resource().equals(resource)).toList();
  }

  private static boolean about(EventBus.Delivery delivery, String functionName) {
    return Pattern.compile("[\":]" + Pattern.quote(functionName) + "[\":]").matcher(delivery.event()).find();
  }
}
