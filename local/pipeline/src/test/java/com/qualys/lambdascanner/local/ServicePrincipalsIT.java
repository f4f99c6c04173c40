package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.Authorization.Decision;
import com.qualys.lambdascanner.emulator.InvokeResult;
import com.qualys.lambdascanner.emulator.LambdaFunction;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.MotoServer;
import com.qualys.lambdascanner.emulator.PolicyRenderer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * AWS services acting as themselves, which only the resource's own policy can allow: Lambda assuming each function's
 * execution role, Step Functions assuming a state machine's role, Chatbot assuming its channel role, CloudWatch
 * publishing an alarm to the KMS-encrypted operations topic. The stack's policies are template.yaml's, rendered as a
 * local run renders them (chat on), enforced by the emulator in front of moto (moto-patches/service_principals.py).
 */
class ServicePrincipalsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = PipelineSettings.DEFAULT_ACCOUNT;
  private static final String REGION = PipelineSettings.DEFAULT_REGION;
  /** A role of the account that trusts only Step Functions. */
  private static final String STATES_ONLY_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/trusts-step-functions-only";
  /** A role of the account that trusts only Step Functions' regional principal. */
  private static final String REGIONAL_STATES_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/trusts-regional-step-functions";
  private static final String LAMBDA_REFUSED = "The role defined for the function cannot be assumed by Lambda.";
  private static final String DEFINITION =
      "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}";

  private static Path work;
  private static LocalLambda lambda;
  private static MotoServer moto;
  private static Authorization authorization;
  private static Map<String, String> roles;
  private static SfnClient sfn;
  private static SqsClient sqs;
  private static String operationsTopic;
  private static String operationsKey;
  private static String queueUrl;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("service-principals-");
    lambda = LocalLambda.start(work.resolve("lambda"));
    moto = MotoServer.start(lambda.port());
    lambda.forwardTo(moto.endpoint());
    sfn = harness(SfnClient.builder());
    sqs = harness(SqsClient.builder());
    SnsClient sns = harness(SnsClient.builder());
    // As template.yaml: the operations topic, encrypted with the stack's OperationsKey, and a subscriber to read it.
    operationsKey = harness(KmsClient.builder()).createKey(b -> b.description("OperationsKey")).keyMetadata().arn();
    operationsTopic = sns.createTopic(b -> b.name("qualys-lambda-scanner-OperationsTopic")
        .attributes(Map.of("KmsMasterKeyId", operationsKey))).topicArn();
    queueUrl = sqs.createQueue(b -> b.queueName("operations-readback")).queueUrl();
    String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(b -> b.topicArn(operationsTopic).protocol("sqs").endpoint(queueArn));
    authorization = enforcing(Samples.projectRoot().resolve("template.yaml"), "stack");
    lambda.enforce(authorization);
  }

  @AfterAll
  static void stop() {
    lambda.close();
    moto.close();
    authorization.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RunQScannerFunctionRole", "ResolveTargetFunctionRole", "FetchCredentialsFunctionRole",
      "StoreResultsFunctionRole", "NotifyFunctionRole", "FleetEnumerateFunctionRole", "FleetCoverageFunctionRole"})
  void register_whenTheFunctionsOwnRole_expectationLambdaAllowedByThatRolesTrust(String role) throws Exception {
    lambda.register(function("own-" + role).withRole(roles.get(role)));

    Decision decision = authorization.decisions().getLast();
    assertThat(decision.principal()).isEqualTo("lambda.amazonaws.com");
    assertThat(decision.allowed()).as(decision.toString()).isTrue();
    assertThat(decision.allowedBy()).singleElement().asString().startsWith(role + ".trust#");
  }

  @Test
  void register_whenTheRoleTrustsAnotherService_expectationInvalidParameterValueAsCreateFunctionAnswers() {
    assertThatThrownBy(() -> lambda.register(function("trusts-states").withRole(STATES_ONLY_ROLE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("InvalidParameterValueException: " + LAMBDA_REFUSED)
        .hasMessageContaining(STATES_ONLY_ROLE);
  }

  @Test
  void invoke_whenLambdaMayNoLongerAssumeTheRoleAsARuntimeStarts_expectationInvalidParameterValue() throws Exception {
    lambda.enforce(null);
    try {
      lambda.register(function("registered-unchecked").withRole(STATES_ONLY_ROLE));
    } finally {
      lambda.enforce(authorization);
    }

    InvokeResult result = lambda.invoke("registered-unchecked", "{}");

    assertThat(result.statusCode()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("InvalidParameterValueException");
    assertThat(new String(result.payload(), StandardCharsets.UTF_8)).contains(LAMBDA_REFUSED);
    assertThat(lambda.runtimeCount("registered-unchecked")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ScanStateMachineRole", "FleetStateMachineRole"})
  void createStateMachine_whenTheStacksStateMachineRole_expectationCreatedAsStepFunctionsMayAssumeIt(String role) {
    String arn = sfn.createStateMachine(b -> b.name("own-" + role).roleArn(roles.get(role)).definition(DEFINITION))
        .stateMachineArn();

    assertThat(arn).endsWith(":stateMachine:own-" + role);
    Decision decision = authorization.decisions().getLast();
    assertThat(decision.principal()).isEqualTo("states.amazonaws.com");
    assertThat(decision.allowedBy()).singleElement().asString().startsWith(role + ".trust#");
  }

  @Test
  void createStateMachine_whenTheRoleTrustsTheRegionalPrincipal_expectationCreated() {
    String arn = sfn.createStateMachine(b -> b.name("regional").roleArn(REGIONAL_STATES_ROLE).definition(DEFINITION))
        .stateMachineArn();

    assertThat(arn).endsWith(":stateMachine:regional");
    assertThat(authorization.decisions().getLast().principal()).isEqualTo("states." + REGION + ".amazonaws.com");
  }

  @Test
  void createStateMachine_whenTheRoleTrustsOnlyLambda_expectationAccessDeniedAsStepFunctionsAnswers() {
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("trusts-lambda")
        .roleArn(roles.get("NotifyFunctionRole")).definition(DEFINITION)))
        .isInstanceOfSatisfying(SfnException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Neither the global service principal "
              + "states.amazonaws.com, nor the regional one is authorized to assume the provided role.");
        });
    assertThat(sfn.listStateMachines().stateMachines()).noneMatch(m -> m.name().equals("trusts-lambda"));
  }

  @Test
  void updateStateMachine_whenTheNewRoleTrustsOnlyLambda_expectationAccessDeniedAndTheRoleKept() {
    String role = roles.get("ScanStateMachineRole");
    String arn = sfn.createStateMachine(b -> b.name("updated").roleArn(role).definition(DEFINITION)).stateMachineArn();

    String lambdaOnly = roles.get("NotifyFunctionRole");
    assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).roleArn(lambdaOnly)))
        .isInstanceOfSatisfying(SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).roleArn()).isEqualTo(role);
  }

  @Test
  void assumeChatbotRole_whenChatbot_expectationAllowedByItsTrust() {
    Decision decision = authorization.serviceRequest("chatbot.amazonaws.com", "sts:AssumeRole",
        roles.get("ChatbotRole"), Map.of("aws:SourceAccount", ACCOUNT));

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
    assertThat(decision.allowedBy()).singleElement().asString().startsWith("ChatbotRole.trust#");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lambda.amazonaws.com", "states.amazonaws.com",
      "arn:aws:iam::123456789012:role/administrator"})
  void assumeChatbotRole_whenAnotherServiceOrAnAdministratorOfTheAccount_expectationRefused(String principal) {
    Decision decision = principal.startsWith("arn:")
        ? authorization.evaluate(principal, "sts:AssumeRole", roles.get("ChatbotRole"), Map.of())
        : authorization.serviceRequest(principal, "sts:AssumeRole", roles.get("ChatbotRole"),
            Map.of("aws:SourceAccount", ACCOUNT));

    assertThat(decision.allowed()).as(decision.toString()).isFalse();
    assertThat(decision.allowedBy()).noneMatch(statement -> statement.startsWith("ChatbotRole.trust"));
  }

  @Test
  void setAlarmState_whenAStackAlarmGoesIntoAlarm_expectationCloudWatchPublishesToTheOperationsTopic()
      throws Exception {
    String alarm = putStackAlarm("FailedExecutionsAlarm");

    setAlarmState(alarm, "ALARM");

    List<String> received = received(alarm);
    assertThat(received).hasSize(1);
    var envelope = JSON.readTree(received.getFirst());
    var notification = JSON.readTree(envelope.path("Message").asText());
    assertThat(envelope.path("TopicArn").asText()).isEqualTo(operationsTopic);
    assertThat(notification.path("NewStateValue").asText()).isEqualTo("ALARM");
    assertThat(notification.path("AlarmArn").asText())
        .isEqualTo("arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + alarm);
    assertThat(authorization.decisions()).filteredOn(d -> d.principal().equals("cloudwatch.amazonaws.com"))
        .extracting(d -> d.allowedBy().toString())
        .contains("[OperationsTopicPolicy#CloudWatchAlarmsPublish]", "[OperationsKey#CloudWatchAlarmsPublish]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"OperationsTopicPolicy:sns:Publish", "OperationsKey:kms:GenerateDataKey"})
  void setAlarmState_whenTheStatementForCloudWatchIsRemoved_expectationNothingDelivered(String removed)
      throws Exception {
    String resource = removed.substring(0, removed.indexOf(':'));
    Authorization without = enforcing(withoutStatement(resource, "CloudWatchAlarmsPublish"), resource);
    lambda.enforce(without);
    try {
      String alarm = putStackAlarm("DeadLetterQueueAlarm");

      setAlarmState(alarm, "ALARM");

      assertThat(received(alarm)).isEmpty();
      assertThat(without.decisions()).filteredOn(d -> !d.allowed())
          .extracting(Decision::principal, Decision::action)
          .containsExactly(tuple("cloudwatch.amazonaws.com",
              removed.substring(removed.indexOf(':') + 1)));
    } finally {
      lambda.enforce(authorization);
      without.close();
    }
  }

  /** The stack's policies from {@code template}, with chat on and the operations topic and key this test made. */
  private static Authorization enforcing(Path template, String name) throws Exception {
    Path folder = Files.createDirectories(work.resolve(name));
    PipelineResources resources = new PipelineResources("qualys-lambda-scanner-results-" + ACCOUNT + "-" + REGION,
        "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/results", "arn:aws:sns:" + REGION + ":" + ACCOUNT
        + ":qualys-lambda-scanner-findings", "", "", "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT
        + ":secret:qualys-lambda-scanner/qualys-AbCdEf", "", "");
    ObjectNode request = LocalAuthorization.renderRequest(Samples.projectRoot(), ACCOUNT, REGION,
        PipelineSettings.Options.defaults(), resources,
        Map.of("notify", Map.of("CHAT_TOPIC_ARN", "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":chat")));
    ObjectNode stack = (ObjectNode) request.get("stacks").get(0);
    stack.put("template", template.toString());
    ObjectNode physical = (ObjectNode) stack.get("physical");
    physical.putObject("OperationsTopic").put("Ref", operationsTopic)
        .put("TopicName", operationsTopic.substring(operationsTopic.lastIndexOf(':') + 1));
    physical.putObject("OperationsKey").put("Ref", operationsKey.substring(operationsKey.indexOf('/') + 1))
        .put("Arn", operationsKey);
    request.putArray("otherRoles").add(JSON.readTree("""
        {"arn": "%s", "stack": "account", "logicalId": "TrustsStepFunctionsOnly", "policies": [],
         "trust": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}
        """.formatted(STATES_ONLY_ROLE)))
        .add(JSON.readTree("""
        {"arn": "%s", "stack": "account", "logicalId": "TrustsRegionalStepFunctions", "policies": [],
         "trust": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Service": "states.%s.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}
        """.formatted(REGIONAL_STATES_ROLE, REGION)))
        .add(JSON.readTree("""
        {"arn": "arn:aws:iam::%s:role/administrator", "stack": "account", "logicalId": "Administrator", "trust": {},
         "policies": [{"name": "AdministratorAccess", "document": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}""".formatted(ACCOUNT)));
    Path rendered = PolicyRenderer.render(request.toString(), folder.resolve("policies.json"));
    if (roles == null) {
      roles = LocalAuthorization.stackRoles(rendered);
    }
    return Authorization.start(Samples.projectRoot(), rendered, folder.resolve("authz.log"));
  }

  /** template.yaml without one statement (by Sid) of one resource's policy: the lines of that list item. */
  private static Path withoutStatement(String logicalId, String sid) throws Exception {
    List<String> lines = Files.readAllLines(Samples.projectRoot().resolve("template.yaml"));
    int resource = lines.indexOf("  " + logicalId + ":");
    int start = resource;
    while (!lines.get(start).trim().equals("- Sid: " + sid)) {
      start++;
    }
    int indent = lines.get(start).indexOf('-');
    int end = start + 1;
    while (lines.get(end).isBlank() || lines.get(end).length() - lines.get(end).stripLeading().length() > indent) {
      end++;
    }
    lines.subList(start, end).clear();
    Path copy = work.resolve("template-without-" + logicalId + "-" + sid + ".yaml");
    Files.write(copy, lines);
    return copy;
  }

  /** One of template.yaml's alarms as CloudFormation creates it (a generated name), acting on the operations topic. */
  private static String putStackAlarm(String logicalId) {
    Map<String, Object> alarm = Template.read(Samples.projectRoot().resolve("template.yaml")).properties(logicalId);
    assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "OperationsTopic")));
    String name = "qualys-lambda-scanner-" + logicalId + "-" + UUID.randomUUID().toString().substring(0, 8);
    // The dimensions name other resources of the stack; they do not matter to the alarm's action.
    cloudWatch("PutMetricAlarm", Map.ofEntries(Map.entry("AlarmName", name),
        Map.entry("AlarmDescription", alarm.get("AlarmDescription")), Map.entry("Namespace", alarm.get("Namespace")),
        Map.entry("MetricName", alarm.get("MetricName")), Map.entry("Statistic", alarm.get("Statistic")),
        Map.entry("Period", alarm.get("Period")), Map.entry("EvaluationPeriods", alarm.get("EvaluationPeriods")),
        Map.entry("Threshold", alarm.get("Threshold")),
        Map.entry("ComparisonOperator", alarm.get("ComparisonOperator")),
        Map.entry("TreatMissingData", alarm.get("TreatMissingData")),
        Map.entry("AlarmActions.member.1", operationsTopic)));
    return name;
  }

  private static void setAlarmState(String alarm, String state) {
    cloudWatch("SetAlarmState", Map.of("AlarmName", alarm, "StateValue", state, "StateReason", "a test set it"));
  }

  /** CloudWatch's query API by hand, as the harness: the SDK's cloudwatch module only for two calls is not worth it. */
  private static void cloudWatch(String action, Map<String, Object> parameters) {
    StringBuilder body = new StringBuilder("Action=" + action + "&Version=2010-08-01");
    parameters.forEach((key, value) -> body.append('&').append(key).append('=')
        .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
    moto.harnessRequest("testing", REGION, "monitoring", HttpRequest.newBuilder(moto.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** The operations topic's messages about the alarm (SNS's envelope, as the subscriber gets it). */
  private static List<String> received(String alarm) {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
        .stream().map(m -> m.body()).filter(body -> body.contains(alarm)).toList();
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C harness(B builder) {
    return builder.endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static LambdaFunction function(String name) throws Exception {
    return LambdaFunction.of(name, "example.Handler::handleRequest", Files.createDirectories(work.resolve(name)));
  }
}
