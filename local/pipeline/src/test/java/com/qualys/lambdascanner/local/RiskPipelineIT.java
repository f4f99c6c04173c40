package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.executionName;
import static com.qualys.lambdascanner.local.Scans.assertScanned;
import static com.qualys.lambdascanner.local.Scans.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Risk end to end (issue 21, item 2): a scan whose severity and risk disagree (the stand-in's "risky": a severity-5
 * finding with QDS 35, a severity-3 one with QDS 95) is stored with the function's risk and its findings riskiest
 * first, and the SNS message, the chat copy and Security Hub lead with the riskiest; ALERT_ON_NEW_ONLY and
 * CHAT_MIN_SEVERITY keyed on a risk band page for it and not for a severe but quiet finding ("quiet"), which a
 * severity threshold would have paged for; the function's risk is over the findings the suppression list leaves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RiskPipelineIT {

  private static final String CHAT_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:qualys-lambda-scanner-risk-chat";
  private static final String EXPLOITED = "380899";
  private static final String SEVERE_BUT_QUIET = "379500";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("store-results", "SECURITY_HUB_EXPORT", "true")
          .withEnvironment("notify", "ALERT_ON_NEW_ONLY", "risk:critical")
          .withEnvironment("notify", "CHAT_TOPIC_ARN", CHAT_TOPIC_ARN)
          .withEnvironment("notify", "CHAT_MIN_SEVERITY", "risk:critical")
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  @InjectPipeline private static Scans scans;
  private static String chatQueueUrl;
  private static final List<JsonNode> chatSeen = new ArrayList<>();

  @BeforeAll
  static void start() {
    pipeline.sns().createTopic(b -> b.name("qualys-lambda-scanner-risk-chat"));
    chatQueueUrl = scans.subscribe(CHAT_TOPIC_ARN, "risk-chat", null);
  }

  @Test
  @Order(1)
  void execute_whenSeverityAndRiskDisagree_expectationRiskStoredAndTheRiskiestFirstEverywhere() {
    String fn = "orders-api-risky";
    JsonNode event = scans.target(fn);
    pipeline.scenarios("findings", Map.of(fn, "risky"));

    ExecutionReport report = scans.run(event);

    assertScanned(report);
    JsonNode record = report.record();
    JsonNode risk = record.path("risk");
    // The riskiest finding's own risk, 95, weighed by the function's exposure: the local function is known closed
    // (no URL, no resource policy, a least-privilege role, a supported runtime), 0.85 as Inspector lowers the
    // unreachable.
    assertThat(risk.path("base").asInt()).as(risk.toString()).isEqualTo(95);
    assertThat(risk.path("exposureWeight").asDouble()).isEqualTo(0.85);
    assertThat(risk.path("score").asInt()).isEqualTo(81);
    assertThat(risk.path("band").asText()).isEqualTo("HIGH");
    assertThat(risk.path("qid").asText()).isEqualTo(EXPLOITED);
    assertThat(risk.path("findingId").asText()).isEqualTo(EXPLOITED + "/Pillow");
    assertThat(risk.path("severity").asInt()).isEqualTo(3);
    assertThat(risk.path("basis").asText()).isEqualTo("INDEX");
    assertThat(risk.path("findings").asInt()).isEqualTo(2);
    assertThat(risk.path("complete").asBoolean()).isTrue();
    assertThat(qids(record.path("topFindings"))).containsExactly(EXPLOITED, SEVERE_BUT_QUIET);
    assertThat(record.path("topFindings").get(0).path("risk").asInt()).isEqualTo(95);
    assertThat(record.path("topFindings").get(1).path("riskBand").asText()).isEqualTo("LOW");
    assertThat(qids(record.path("changes").path("newFindings"))).containsExactly(EXPLOITED, SEVERE_BUT_QUIET);
    assertThat(record.path("changes").path("newHighestRisk").asInt()).isEqualTo(95);
    // The findings index Store Results read carries each finding's risk too.
    JsonNode index = Samples.json(pipeline.resultObject(record.path("findingsIndexKey").asText()));
    assertThat(index.path("findings")).allSatisfy(f -> assertThat(f.has("risk") && f.has("riskBand")).isTrue());

    JsonNode message = Samples.json(report.notification().path("Message").asText());
    assertThat(qids(message.path("topFindings"))).as("the SNS message").containsExactly(EXPLOITED, SEVERE_BUT_QUIET);
    assertThat(message.path("risk")).isEqualTo(risk);
    assertThat(attribute(report, "risk")).isEqualTo("81");
    assertThat(attribute(report, "alert")).as("a new finding of critical risk").isEqualTo("true");

    JsonNode chat = chatFor(executionName(report));
    assertThat(chat).as("chat at risk:critical").isNotNull();
    String description = chat.path("content").path("description").asText();
    assertThat(description).contains("risk 95 QID " + EXPLOITED, "risk 35 QID " + SEVERE_BUT_QUIET);
    assertThat(description.indexOf("QID " + EXPLOITED)).isLessThan(description.indexOf("QID " + SEVERE_BUT_QUIET));

    // Security Hub: both imported with their risk as Criticality, the riskiest in the first place of the batch.
    List<JsonNode> hub = securityHubFindings(fn);
    assertThat(hub).extracting(f -> f.path("ProductFields").path("qualys/QID").asText())
        .containsExactly(EXPLOITED, SEVERE_BUT_QUIET);
    assertThat(hub).extracting(f -> f.path("Criticality").asInt()).containsExactly(95, 35);
  }

  @Test
  @Order(2)
  void execute_whenOnlySevereButQuietFindings_expectationNoAlertAndNoChatOnRiskKeys() {
    String fn = "orders-api-quiet";
    JsonNode event = scans.target(fn);
    pipeline.scenarios("findings", Map.of(fn, "quiet"));

    ExecutionReport report = scans.run(event);

    assertScanned(report);
    assertThat(report.record().path("highestSeverity").asInt()).as("a severity threshold would page").isEqualTo(5);
    assertThat(report.record().path("risk").path("score").asInt()).as("35 x 0.85").isEqualTo(30);
    assertThat(report.record().path("risk").path("band").asText()).isEqualTo("LOW");
    assertThat(attribute(report, "alert")).as("ALERT_ON_NEW_ONLY risk:critical").isEqualTo("false");
    assertThat(chatFor(executionName(report))).as("CHAT_MIN_SEVERITY risk:critical").isNull();
  }

  @Test
  @Order(3)
  void execute_whenTheRiskiestFindingIsSuppressed_expectationTheFunctionsRiskFromEveryActiveFindingOfTheIndex() {
    String fn = "orders-api-risk-accepted";
    JsonNode event = scans.target(fn);
    pipeline.scenarios("findings", Map.of(fn, "risky"));
    pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(PipelineSettings.SUPPRESSION_LIST_KEY),
        RequestBody.fromString("""
            {"schemaVersion": "1", "suppressions": [
              {"id": "%s", "functions": "%s", "reason": "no untrusted images decoded", "owner": "appsec@example.com",
               "expires": "2099-01-01"}]}""".formatted(EXPLOITED, fn)));
    ExecutionReport report;
    try {
      report = scans.run(event);
    } finally {
      pipeline.s3().deleteObject(b -> b.bucket(pipeline.bucket()).key(PipelineSettings.SUPPRESSION_LIST_KEY));
    }

    assertScanned(report);
    // The scan found both (its top findings say so); the accepted one no longer makes the function risky.
    assertThat(qids(report.record().path("topFindings"))).containsExactly(EXPLOITED, SEVERE_BUT_QUIET);
    JsonNode risk = report.record().path("risk");
    assertThat(risk.path("score").asInt()).as(risk.toString()).isEqualTo(30);
    assertThat(risk.path("qid").asText()).isEqualTo(SEVERE_BUT_QUIET);
    assertThat(risk.path("findings").asInt()).isEqualTo(1);
    assertThat(risk.path("basis").asText()).isEqualTo("INDEX");
    assertThat(attribute(report, "risk")).isEqualTo("30");
    assertThat(attribute(report, "alert")).isEqualTo("false");
  }

  @Test
  @Order(100)
  void artifacts_afterEveryScan_expectationNoTokenCredentialOrPresignedUrlAnywhere() {
    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("s3 results/"));
    for (JsonNode message : chatSeen) {
      String text = message.toString();
      assertThat(pipeline.secrets()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }
  }

  private static List<String> qids(JsonNode findings) {
    List<String> qids = new ArrayList<>();
    findings.forEach(f -> qids.add(f.path("qid").asText()));
    return qids;
  }

  /** The chat message of this execution, null when none came (read until the queue is quiet). */
  private static JsonNode chatFor(String scanId) {
    chatSeen.addAll(scans.messages(chatQueueUrl));
    return chatSeen.stream().filter(m -> scanId.equals(m.path("id").asText())).findFirst().orElse(null);
  }

  /** The function's findings in moto's Security Hub, in the order it holds them (the order they were imported). */
  private static List<JsonNode> securityHubFindings(String functionName) {
    String key = pipeline.credentialsFor(PipelineSettings.DEFAULT_ACCOUNT).resolveCredentials().accessKeyId();
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode f : Samples.json(pipeline.moto().securityHubFindings(key, PipelineSettings.DEFAULT_REGION))
        .path("Findings")) {
      if (f.path("Resources").get(0).path("Id").asText().endsWith(":function:" + functionName)) {
        found.add(f);
      }
    }
    return found;
  }
}
