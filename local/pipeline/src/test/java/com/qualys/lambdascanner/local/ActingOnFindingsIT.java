package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.executionName;
import static com.qualys.lambdascanner.local.Scans.assertScanned;
import static com.qualys.lambdascanner.local.Scans.subject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acting on findings, end to end through the state machine: the quarantine of a function the policy denies
 * (QuarantineOnDeny), also when it carries the scanner's component tag, never of an allowed one or of the scanner's
 * own (by name), and the chat copy for Slack and Teams
 * (AWS Chatbot custom notifications on the chat topic, only at or above CHAT_MIN_SEVERITY). What is new and
 * fixed: {@link FindingsPipelineIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActingOnFindingsIT {

  private static final String CHAT_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:qualys-lambda-scanner-chat";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("store-results", "QUARANTINE_ON_DENY", "true")
          // Slack/Teams through AWS Chatbot: its topic, and only urgent news.
          .withEnvironment("notify", "CHAT_TOPIC_ARN", CHAT_TOPIC_ARN)
          .withEnvironment("notify", "CHAT_MIN_SEVERITY", "5")
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  @InjectPipeline private static Scans scans;
  /** What AWS Chatbot would receive: the chat topic's messages. */
  private static String chatQueueUrl;
  /** Every chat message read, for the leak check (the chat topic is not among the pipeline's own artifacts). */
  private static final List<JsonNode> chatSeen = new java.util.ArrayList<>();

  @BeforeAll
  static void start() {
    pipeline.sns().createTopic(b -> b.name("qualys-lambda-scanner-chat"));
    chatQueueUrl = scans.subscribe(CHAT_TOPIC_ARN, "findings-chat", null);
  }

  @Test
  @Order(1)
  void execute_whenPolicyDenies_expectationQuarantinedWithWhyWhenAndTheReleaseCommand() {
    String fn = "orders-api-denied";
    JsonNode event = scans.target(fn);
    String arn = "arn:aws:lambda:us-east-1:123456789012:function:" + fn;
    pipeline.lambdaControl().putFunctionConcurrency(b -> b.functionName(fn).reservedConcurrentExecutions(5));
    pipeline.scenarios("findings", Map.of(fn, "deny"));

    ExecutionReport report = scans.run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.record().path("status").asText()).isEqualTo("POLICY_DENY");
    assertValidRecord(report.record());
    JsonNode quarantine = report.record().path("quarantine");
    assertThat(quarantine.path("status").asText()).isEqualTo("QUARANTINED");
    assertThat(quarantine.path("previousReservedConcurrency").asInt()).isEqualTo(5);
    assertThat(quarantine.path("releaseCommand").asText())
        .startsWith("aws lambda put-function-concurrency --function-name " + arn + " --reserved-concurrent-executions 5");
    assertThat(scans.reservedConcurrency(fn)).isZero();
    Map<String, String> tags = scans.tags(fn);
    assertThat(tags).containsEntry("qualys-scan:quarantine-reason", "POLICY_DENY scan " + executionName(report))
        .containsEntry("qualys-scan:previous-concurrency", "5")
        .containsEntry("qualys-scan:quarantined", quarantine.path("at").asText());
    assertThat(subject(report)).startsWith("[DENY, QUARANTINED] ");
    JsonNode message = Samples.json(report.notification().path("Message").asText());
    assertThat(message.path("quarantine")).isEqualTo(quarantine);
  }

  @Test
  @Order(2)
  void execute_whenPolicyAllowsOrFunctionIsTheScannersOwn_expectationNotQuarantined() {
    String allowed = "orders-api-allowed";
    ExecutionReport report = scans.run(scans.target(allowed));

    assertScanned(report);
    assertThat(report.record().path("quarantine").isNull()).isTrue();
    assertThat(scans.reservedConcurrency(allowed)).isNull();

    // The scanner's own functions (by name in its account and region: one of the pipeline's, one of the fleet's),
    // with a scanner that would deny them: skipped as SELF, never quarantined.
    for (String own : List.of("notify", "fleet-enumerate")) {
      JsonNode event = scans.target(own);
      pipeline.scenarios("findings", Map.of(own, "deny"));

      ExecutionReport skipped = scans.run(event);

      assertThat(skipped.status()).as(describe(skipped)).isEqualTo("SUCCEEDED");
      assertThat(skipped.record().path("skipReason").asText()).as(own).isEqualTo("SELF");
      assertThat(scans.reservedConcurrency(own)).as(own).isNull();
      assertThat(scans.tags(own)).as(own).doesNotContainKey("qualys-scan:quarantined");
    }
  }

  @Test
  @Order(4)
  void execute_whenDeniedTenantFunctionCarriesTheComponentTag_expectationQuarantinedAllTheSame() {
    // Anyone can set the scanner's component tag on their function: it proves nothing, so it cannot evade quarantine.
    String fn = "orders-api-disguised";
    JsonNode event = scans.target(fn);
    pipeline.lambdaControl().tagResource(b -> b.resource("arn:aws:lambda:us-east-1:123456789012:function:" + fn)
        .tags(Map.of("qualys-lambda-scanner:component", "notify")));
    pipeline.scenarios("findings", Map.of(fn, "deny"));

    ExecutionReport report = scans.run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.record().path("status").asText()).isEqualTo("POLICY_DENY");
    assertValidRecord(report.record());
    assertThat(report.record().path("quarantine").path("status").asText()).isEqualTo("QUARANTINED");
    assertThat(scans.reservedConcurrency(fn)).isZero();
    assertThat(scans.tags(fn)).containsKey("qualys-scan:quarantined")
        .containsEntry("qualys-lambda-scanner:component", "notify");
  }

  @Test
  @Order(3)
  void execute_whenUrgentNewsThenLess_expectationOnlyTheUrgentScanReachesChatInChatbotFormat() {
    String fn = "orders-api-chat";
    JsonNode event = scans.target(fn);
    ExecutionReport urgent = scans.run(event);
    pipeline.scenarios("findings", Map.of(fn, "changed"));
    ExecutionReport lessUrgent = scans.run(scans.redeploy(event, fn, "v2"));

    assertScanned(urgent);
    assertScanned(lessUrgent);
    List<JsonNode> chat = scans.messages(chatQueueUrl);
    chatSeen.addAll(chat);
    List<JsonNode> mine = chat.stream()
        .filter(m -> List.of(executionName(urgent), executionName(lessUrgent)).contains(m.path("id").asText()))
        .toList();
    assertThat(mine).as("only the scan with a new urgent finding (CHAT_MIN_SEVERITY 5)").hasSize(1);
    JsonNode message = mine.getFirst();
    assertThat(message.path("id").asText()).isEqualTo(executionName(urgent));
    assertThat(message.path("version").asText()).isEqualTo("1.0");
    assertThat(message.path("source").asText()).isEqualTo("custom");
    assertThat(message.path("content").path("textType").asText()).isEqualTo("client-markdown");
    assertThat(message.path("content").path("title").asText()).contains("1 new urgent").contains(fn);
    assertThat(message.path("content").path("description").asText())
        .contains("QID 376657").contains("org.apache.logging.log4j:log4j-core 2.14.1 → 2.17.1");
    assertThat(message.path("content").path("nextSteps").get(0).asText()).contains(urgent.recordKey());
    assertThat(message.path("metadata").path("threadId").asText()).isEqualTo("123456789012/us-east-1/" + fn);
    assertThat(message.path("metadata").path("relatedResources").get(0).asText())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:" + fn);
  }

  @Test
  @Order(100)
  void artifacts_afterEveryScan_expectationNoTokenCredentialOrPresignedUrlAnywhere() {
    assertThat(leaks.executions()).as("the scans ran first").hasSizeGreaterThanOrEqualTo(5);

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("s3 results/")).anyMatch(k -> k.startsWith("sns message "));
    // The chat copy too: what reaches Slack or Teams holds no token, credential or presigned URL either.
    assertThat(chatSeen).as("chat messages were read").isNotEmpty();
    for (JsonNode message : chatSeen) {
      String text = message.toString();
      assertThat(pipeline.secrets()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
      assertThat(text).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential");
    }
  }
}
