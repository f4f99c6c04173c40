package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SKIPPED;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Scans.assertScanned;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SecurityHubExport=true end to end through the state machine, against moto's Security Hub: a scan's findings
 * created as ASFF findings about the function, updated on a rescan and archived when fixed or when the function is
 * deleted; a spoke function's findings in the spoke account (hub mode, through the spoke role); Security Hub
 * refusing every call: the scan still SUCCEEDED and its record says what was not exported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityHubPipelineIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("store-results", "SECURITY_HUB_EXPORT", "true")
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  @InjectPipeline private static Scans scans;

  @Test
  @Order(1)
  void execute_whenScannedThenRescannedWithAFix_expectFindingsCreatedUpdatedAndArchived() {
    String fn = "orders-api-hub";
    JsonNode event = scans.target(fn);

    ExecutionReport first = scans.run(event);

    assertScanned(first);
    JsonNode hub = first.record().path("securityHub");
    assertThat(hub.path("status").asText()).as(hub.toString()).isEqualTo("EXPORTED");
    assertThat(hub.path("imported").asInt()).isPositive();
    Map<String, JsonNode> created = findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn);
    assertThat(created).hasSize(hub.path("imported").asInt());
    JsonNode log4shell = byQid(created, "376657");
    assertThat(log4shell.path("RecordState").asText()).isEqualTo("ACTIVE");
    assertThat(log4shell.path("AwsAccountId").asText()).isEqualTo(PipelineSettings.DEFAULT_ACCOUNT);
    assertThat(log4shell.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsLambdaFunction");
    assertThat(log4shell.path("Resources").get(0).path("Id").asText())
        .isEqualTo(first.record().path("target").path("functionArn").asText());
    assertThat(log4shell.path("Resources").get(0).path("Details").path("AwsLambdaFunction").path("CodeSha256").asText())
        .isEqualTo(first.record().path("target").path("codeSha256").asText());
    assertThat(log4shell.path("Vulnerabilities").get(0).path("Id").asText()).startsWith("CVE-");

    // A redeploy whose scan no longer has Log4Shell (376657) but a new critical in jackson-databind.
    pipeline.scenarios("findings", Map.of(fn, "changed"));
    ExecutionReport second = scans.run(scans.redeploy(event, fn, "v2"));

    assertScanned(second);
    assertThat(second.record().path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(second.record().path("securityHub").path("archived").asInt()).isEqualTo(1);
    Map<String, JsonNode> updated = findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn);
    assertThat(updated.keySet()).as("the same Ids: updated, not added").containsAll(created.keySet());
    assertThat(byQid(updated, "376657").path("RecordState").asText()).isEqualTo("ARCHIVED");
    assertThat(byQid(updated, "380712").path("RecordState").asText()).isEqualTo("ACTIVE");
    String persisting = created.keySet().stream()
        .filter(id -> !id.equals(byQid(created, "376657").path("Id").asText())).findFirst().orElseThrow();
    assertThat(Instant.parse(updated.get(persisting).path("UpdatedAt").asText()))
        .isAfter(Instant.parse(created.get(persisting).path("UpdatedAt").asText()));
    assertThat(updated.get(persisting).path("RecordState").asText()).isEqualTo("ACTIVE");
    assertNoSecretIn(updated);
  }

  @Test
  @Order(2)
  void execute_whenSecurityHubRefusesEveryCall_expectationScanSucceededAndRecordSaysNotExported() {
    String fn = "orders-api-hub-down";
    JsonNode event = scans.target(fn);
    pipeline.lambda().failService("securityhub", Integer.MAX_VALUE);
    ExecutionReport report;
    try {
      report = scans.run(event);
    } finally {
      pipeline.lambda().clearServiceFaults();
    }

    assertScanned(report);
    JsonNode hub = report.record().path("securityHub");
    assertThat(hub.path("status").asText()).as(hub.toString()).isEqualTo("FAILED");
    assertThat(hub.path("imported").asInt()).isZero();
    assertThat(hub.path("notExported").asInt()).isPositive();
    assertThat(hub.path("detail").asText()).contains("HTTP 500");
    assertThat(pipeline.lambda().injectedFaults("securityhub")).isPositive();
    assertThat(findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn)).isEmpty();

    // Back: the next scan exports them.
    ExecutionReport next = scans.run(scans.redeploy(event, fn, "v2"));

    assertScanned(next);
    assertThat(next.record().path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn)).isNotEmpty();
  }

  @Test
  @Order(3)
  void execute_whenSpokeFunction_expectFindingsInTheSpokeAccountThroughTheSpokeRole() {
    String fn = "orders-api-hub-spoke";
    JsonNode event = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", fn),
        PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION);
    pipeline.ensureTarget(event);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertScanned(report);
    JsonNode hub = report.record().path("securityHub");
    assertThat(hub.path("status").asText()).as(hub.toString()).isEqualTo("EXPORTED");
    assertThat(hub.path("productArn").asText()).isEqualTo("arn:aws:securityhub:" + PipelineSettings.SPOKE_REGION + ":"
        + PipelineSettings.SPOKE_ACCOUNT + ":product/" + PipelineSettings.SPOKE_ACCOUNT + "/default");
    Map<String, JsonNode> inSpoke = findings(PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION, fn);
    assertThat(inSpoke).hasSize(hub.path("imported").asInt());
    assertThat(inSpoke.values()).allSatisfy(f ->
        assertThat(f.path("AwsAccountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT));
    assertThat(findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.SPOKE_REGION, fn)).as("none in the hub account")
        .isEmpty();
    assertThat(findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn)).isEmpty();
    assertNoSecretIn(inSpoke);
  }

  @Test
  @Order(4)
  void execute_whenFunctionDeleted_expectItsFindingsArchived() {
    String fn = "orders-api-hub-deleted";
    JsonNode event = scans.target(fn);
    ExecutionReport scanned = scans.run(event);
    assertScanned(scanned);
    pipeline.lambdaControl().deleteFunction(b -> b.functionName(fn));

    // A later change event about the function itself ($LATEST, not a published version): there is none now.
    ExecutionReport gone = scans.run(Samples.renamed("eventbridge/update-function-configuration.json", "orders-api", fn));

    assertThat(gone.stateNames()).as(describe(gone)).containsExactlyElementsOf(SKIPPED);
    assertThat(gone.record().path("skipReason").asText()).isEqualTo("NOT_FOUND");
    assertValidRecord(gone.record());
    assertThat(gone.record().path("securityHub").path("archived").asInt()).as(gone.record().toString())
        .isEqualTo(scanned.record().path("securityHub").path("imported").asInt()).isPositive();
    assertThat(findings(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION, fn).values())
        .isNotEmpty().allSatisfy(f -> assertThat(f.path("RecordState").asText()).isEqualTo("ARCHIVED"));
    leaks.assertNoSecretAnywhere();
  }

  /** The function's findings in moto's Security Hub of that account and region, by Id. */
  private static Map<String, JsonNode> findings(String account, String region, String functionName) {
    String key = pipeline.credentialsFor(account).resolveCredentials().accessKeyId();
    JsonNode all = Samples.json(pipeline.moto().securityHubFindings(key, region));
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode f : all.path("Findings")) {
      if (f.path("Resources").get(0).path("Id").asText().endsWith(":function:" + functionName)) {
        byId.put(f.path("Id").asText(), f);
      }
    }
    return byId;
  }

  private static JsonNode byQid(Map<String, JsonNode> findings, String qid) {
    List<JsonNode> matching = new ArrayList<>();
    findings.values().forEach(f -> {
      if (f.path("ProductFields").path("qualys/QID").asText().equals(qid)) {
        matching.add(f);
      }
    });
    assertThat(matching).as("findings of QID " + qid).hasSize(1);
    return matching.getFirst();
  }

  private static void assertNoSecretIn(Map<String, JsonNode> findings) {
    String text = findings.values().toString();
    assertThat(pipeline.secrets()).as("secrets in Security Hub findings").noneMatch(text::contains);
    assertThat(text).doesNotContain("X-Amz-Signature");
  }
}
