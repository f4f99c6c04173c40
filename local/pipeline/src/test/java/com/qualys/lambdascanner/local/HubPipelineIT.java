package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.TERMINAL;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.lambdaErrors;
import static com.qualys.lambdascanner.local.Paths.output;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import com.qualys.lambdascanner.emulator.EventBus;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hub mode (docs/organizations.md): the scanner in account 123456789012, us-east-1, with SPOKE_ROLE_NAME and
 * SPOKE_EXTERNAL_ID set on resolve-target, fetch-credentials and run-qscanner; the target function in a spoke account
 * and another region, read through the spoke role (moto: credentials from sts:AssumeRole act in the role's account).
 * The events are the samples as the spoke's CloudTrail would deliver them (account and region moved).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubPipelineIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  /** A spoke account where templates/spoke.yaml was never deployed: STS refuses its role. */
  private static final String NO_ROLE_ACCOUNT = "310987654321";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;

  @Test
  @Order(1)
  void execute_whenEventFromSpokeAccountAndRegion_expectationScannedThroughSpokeRole() {
    JsonNode event = spokeEvent("orders-api-spoke", PipelineSettings.SPOKE_ACCOUNT);
    String role = "arn:aws:iam::" + PipelineSettings.SPOKE_ACCOUNT + ":role/" + PipelineSettings.SPOKE_ROLE_NAME;
    int assumedBefore = pipeline.lambda().assumeRoleCalls(role);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    JsonNode target = output(report, "Resolve Target").path("target");
    assertThat(target.path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(target.path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    // Fetch Credentials hands on which role to assume (a reference, never credentials).
    assertThat(output(report, "Fetch Credentials").path("credentials").path("roleArn").asText()).isEqualTo(role);
    assertThat(pipeline.lambda().assumeRoleCalls(role) - assumedBefore).as("sts:AssumeRole of the spoke role")
        .isPositive();
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("target").path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(record.path("target").path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    assertThat(record.path("target").path("functionArn").asText())
        .startsWith("arn:aws:lambda:eu-west-1:210987654321:function:orders-api-spoke");
    assertThat(report.recordKey()).startsWith("results/account=210987654321/region=eu-west-1/");
    assertThat(report.recordBucket()).as("results land in the hub's bucket").isEqualTo(pipeline.bucket());
    assertValidRecord(record);
    assertThat(report.notification()).as("SNS message").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(Paths.executionName(report));
    // Exposure read through the spoke role (templates/spoke.yaml grants it): a closed function, every fact known.
    assertThat(record.path("exposure").toString()).as("exposure").doesNotContain("UNKNOWN").doesNotContain("YES");
  }

  @Test
  @Order(3)
  void execute_whenSpokeFunctionExposed_expectationFactsReadThroughSpokeRole() {
    JsonNode event = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", "exposed-spoke"),
        PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION);
    ExposedTargets.create(pipeline, event);
    spokeEvent("exposed-spoke", PipelineSettings.SPOKE_ACCOUNT);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    JsonNode exposure = report.record().path("exposure");
    assertThat(exposure.path("publicUrl").path("answer").asText()).as(exposure.toString()).isEqualTo("YES");
    assertThat(exposure.path("publicInvoke").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("adminRole").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("adminRole").path("evidence").toString()).contains("AdministratorAccess attached");
    assertThat(exposure.path("deprecatedRuntime").path("answer").asText()).isEqualTo("YES");
    assertValidRecord(report.record());
  }

  @Test
  @Order(2)
  void execute_whenSpokeRoleMissing_expectationFailedNamingTheRole() {
    String role = "arn:aws:iam::" + NO_ROLE_ACCOUNT + ":role/" + PipelineSettings.SPOKE_ROLE_NAME;
    pipeline.lambda().denyAssumeRole(role);
    JsonNode event = spokeEvent("orders-api-no-role", NO_ROLE_ACCOUNT);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactly("Resolve Target", "Record Failure", "Notify Failure",
        "Scan Failed");
    assertThat(lambdaErrors(report, "Resolve Target")).as("AccessDenied is not retried").containsExactly(TERMINAL);
    assertThat(pipeline.lambda().assumeRoleCalls(role)).isPositive();
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.record().path("error").path("message").asText()).contains(role);
    assertValidRecord(report.record());
    assertThat(report.notification()).as("failure notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(role);
  }

  // ----------------------------------------------------------------------------------------------------------
  // The stack's rules (EventBus): the events as CloudTrail puts them on the buses, not started by the harness
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(10)
  void putEvents_whenLambdaChangeOnTheHubAccountsDefaultBus_expectationTheRuleStartsTheScanAsItsRole() {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-rule");
    pipeline.ensureTarget(event);
    String rule = pipeline.events().ruleArn("ScanStateMachineLambdaChange", pipeline.account(), pipeline.region());

    EventDeliveries.put(pipeline, event, "default");

    EventBus.Delivery delivery = EventDeliveries.awaitDelivery(pipeline, rule, "orders-api-rule");
    ExecutionReport report = leaks.register(pipeline.await(EventDeliveries.executionArn(delivery), LIMIT));
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("target").path("functionName").asText()).isEqualTo("orders-api-rule");
    assertThat(report.record().path("trigger").path("source").asText()).isEqualTo("aws.lambda");
    // events.amazonaws.com assumed the rule's role (its trust alone decides), whose session started the scan.
    String role = roleOf(rule);
    assertThat(EventDeliveries.decisions(pipeline, EventBus.SERVICE, "sts:AssumeRole", role))
        .isNotEmpty().allSatisfy(d -> assertThat(d.allowedBy()).singleElement().asString()
            .startsWith("ScanStateMachineLambdaChangeRole.trust#"));
    assertThat(EventDeliveries.decisions(pipeline, role, "states:StartExecution", pipeline.stateMachineArn()))
        .isNotEmpty().allSatisfy(d -> assertThat(d.allowed()).as(d.toString()).isTrue());
  }

  @Test
  @Order(11)
  void putEvents_whenLambdaChangeInSpokeAccount_expectationForwardedToTheHubBusAndScanned() {
    JsonNode event = spokeEvent("orders-api-forwarded", PipelineSettings.SPOKE_ACCOUNT);
    String forward = pipeline.events().ruleArn("ForwardLambdaChangesRule", PipelineSettings.SPOKE_ACCOUNT,
        PipelineSettings.SPOKE_REGION);
    String hubRule = pipeline.events().ruleArn("HubLambdaChangeRule", pipeline.account(), pipeline.region());

    EventDeliveries.put(pipeline, event, "default");

    EventBus.Delivery forwarded = EventDeliveries.awaitDelivery(pipeline, forward, "orders-api-forwarded");
    assertThat(forwarded.outcome()).as(forwarded.toString()).isEqualTo("DELIVERED");
    EventBus.Delivery delivery = EventDeliveries.awaitDelivery(pipeline, hubRule, "orders-api-forwarded");
    // The hub's rule got the spoke's event as it was: its account and region, not the hub's.
    JsonNode onHubBus = LocalPipeline.parse(delivery.event());
    assertThat(onHubBus.path("account").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(onHubBus.path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    ExecutionReport report = leaks.register(pipeline.await(EventDeliveries.executionArn(delivery), LIMIT));
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("target").path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    String forwardRole = roleOf(forward);
    assertThat(EventDeliveries.decisions(pipeline, EventBus.SERVICE, "sts:AssumeRole", forwardRole)).isNotEmpty()
        .allSatisfy(d -> assertThat(d.allowedBy()).singleElement().asString().startsWith("ForwardRole.trust#"));
    // ForwardRole's session put it on the hub bus: its own policy and the bus's policy (another account) allowed it.
    String hubBus = forwarded.targetArn();
    assertThat(EventDeliveries.decisions(pipeline, forwardRole, "events:PutEvents", hubBus)).isNotEmpty()
        .allSatisfy(d -> assertThat(d.allowedBy()).anyMatch(s -> s.startsWith("ForwardRole."))
            .anyMatch(s -> s.startsWith("HubEventBus#")));
    String hubRole = roleOf(hubRule);
    assertThat(EventDeliveries.decisions(pipeline, EventBus.SERVICE, "sts:AssumeRole", hubRole)).isNotEmpty()
        .allSatisfy(d -> assertThat(d.allowed()).isTrue());
    assertThat(EventDeliveries.decisions(pipeline, hubRole, "states:StartExecution", pipeline.stateMachineArn()))
        .isNotEmpty().allSatisfy(d -> assertThat(d.allowed()).as(d.toString()).isTrue());
  }

  @Test
  @Order(12)
  void putEvents_whenTheRulesRoleMayNotCallTheTarget_expectationDeadLetteredAndAnotherRuleRefusedByTheQueue() {
    // The stack's rules pointed at targets their roles may not call: a state machine other than the scan machine, and
    // a bus other than the hub's. EventBridge gets AccessDenied and sends the event to the rule's dead-letter queue.
    String other = pipeline.createStateMachine("qualys-lambda-scanner-not-the-rules", Map.of());
    String rule = pipeline.events().ruleArn("ScanStateMachineLambdaChange", pipeline.account(), pipeline.region());
    String forward = pipeline.events().ruleArn("ForwardLambdaChangesRule", PipelineSettings.SPOKE_ACCOUNT,
        PipelineSettings.SPOKE_REGION);
    String otherBus = "arn:aws:events:" + pipeline.region() + ":" + PipelineSettings.SPOKE_ACCOUNT + ":event-bus/default";
    JsonNode hubEvent = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-dlq");
    JsonNode spokeEvent = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-spoke-dlq"),
        PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION);
    // A rule that is not the stack's, with the stack's role and dead-letter queue: the queue refuses EventBridge for it.
    String stranger = pipeline.events().putRule(pipeline.account(), pipeline.region(), "not-the-stacks-rule",
        "{\"source\": [\"local.stranger\"]}", other, roleOf(rule), queueOf(rule));
    JsonNode strangerEvent = Samples.json("{\"source\": \"local.stranger\", \"detail-type\": \"test\", "
        + "\"account\": \"" + pipeline.account() + "\", \"region\": \"" + pipeline.region() + "\", \"time\": \""
        + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\", "
        + "\"resources\": [], \"detail\": {\"functionName\": \"orders-api-stranger\"}}");

    String scanMachine = pipeline.events().target(rule).arn();
    String hubBus = pipeline.events().target(forward).arn();
    pipeline.events().retarget(rule, other);
    pipeline.events().retarget(forward, otherBus);
    try {
      EventDeliveries.put(pipeline, hubEvent, "default");
      EventDeliveries.put(pipeline, spokeEvent, "default");
      EventDeliveries.put(pipeline, strangerEvent, "default");

      assertDeadLettered(EventDeliveries.awaitDelivery(pipeline, rule, "orders-api-dlq"), rule, other,
          "DeadLetterQueuePolicy#EventBridgeRuleOnly");
      assertDeadLettered(EventDeliveries.awaitDelivery(pipeline, forward, "orders-api-spoke-dlq"), forward, otherBus,
          "ForwardDeadLetterQueuePolicy#ForwardingRuleOnly");
      EventBus.Delivery refused = EventDeliveries.awaitDelivery(pipeline, stranger, "orders-api-stranger");
      assertThat(refused.outcome()).as(refused.toString()).isEqualTo("DEAD_LETTER_REFUSED");
      assertThat(EventDeliveries.decisions(pipeline, EventBus.SERVICE, "sqs:SendMessage", queueOf(rule)))
          .filteredOn(d -> !d.allowed()).isNotEmpty().allSatisfy(d -> assertThat(d.allowedBy()).isEmpty());
    } finally {
      pipeline.events().retarget(rule, scanMachine);
      pipeline.events().retarget(forward, hubBus);
    }
  }

  private static void assertDeadLettered(EventBus.Delivery delivery, String rule, String target, String statement) {
    assertThat(delivery.outcome()).as(delivery.toString()).isEqualTo("DEAD_LETTERED");
    assertThat(delivery.errorCode()).isEqualTo("NO_PERMISSIONS");
    String queue = delivery.result();
    var message = pipeline.events().receiveDeadLetter(queue, delivery.eventId());
    assertThat(message.body()).isEqualTo(delivery.event());
    assertThat(message.messageAttributes()).containsKeys("RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE");
    assertThat(message.messageAttributes().get("RULE_ARN").stringValue()).isEqualTo(rule);
    assertThat(message.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(target);
    assertThat(message.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_PERMISSIONS");
    assertThat(EventDeliveries.decisions(pipeline, EventBus.SERVICE, "sqs:SendMessage", queue))
        .filteredOn(d -> d.allowed()).isNotEmpty().allSatisfy(d -> assertThat(d.allowedBy()).containsExactly(statement));
  }

  private static String roleOf(String ruleArn) {
    return pipeline.events().target(ruleArn).roleArn();
  }

  private static String queueOf(String ruleArn) {
    return pipeline.events().target(ruleArn).deadLetterConfig().arn();
  }

  @Test
  @Order(100)
  void artifacts_afterHubRuns_expectationNoTokenOrAssumedCredentialAnywhere() {
    assertThat(leaks.executions()).hasSize(5);
    assertThat(pipeline.lambda().issuedSecrets()).as("the functions assumed the spoke role").isNotEmpty();

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("history ")).anyMatch(k -> k.startsWith("log "))
        .anyMatch(k -> k.startsWith("s3 results/account=210987654321/")).anyMatch(k -> k.startsWith("sns message "));
  }

  @Test
  @Order(200)
  void localRun_whenModeHub_expectationSampleScannedFromSpokeAccount() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> settings = Map.of("MODE", "hub", "FORMAT", "json", "SCENARIO", "findings",
        "PROJECT_ROOT", Samples.projectRoot().toString());
    settings.forEach(System::setProperty);
    int exit;
    try {
      exit = LocalRun.run(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode run = Samples.json(out.toString(StandardCharsets.UTF_8));
    assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("executionArn").asText()).startsWith("arn:aws:states:us-east-1:123456789012:");
    JsonNode target = run.path("record").path("content").path("target");
    assertThat(target.path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(target.path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    assertThat(run.path("record").path("key").asText()).startsWith("results/account=210987654321/region=eu-west-1/");
  }

  /** The sample as the spoke's CloudTrail delivers it, its target created in the spoke (account, eu-west-1). */
  private static JsonNode spokeEvent(String functionName, String account) {
    JsonNode event = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", functionName),
        account, PipelineSettings.SPOKE_REGION);
    assertThat(event.path("account").asText()).isEqualTo(account);
    assertThat(event.path("detail").path("responseElements").path("functionArn").asText())
        .startsWith("arn:aws:lambda:eu-west-1:" + account + ":function:" + functionName);
    pipeline.ensureTarget(event);
    return event;
  }
}
