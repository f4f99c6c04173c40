package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.executionName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scans that are not a full verdict, end to end (issue 10, items 3, 4, 9): the code deployed during the scan, a
 * partial scan, a report the parser cannot map, a DENY behind which no finding can be read. Each is recorded with its own status or reason, notified, and its
 * dedup claim released, so the next event for the same code scans it again instead of ending as a duplicate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanIntegrityEndToEndIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults().withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;

  @Test
  @Order(1)
  void execute_whenCodeDeployedDuringTheScan_expectationCodeChangedNotifiedClaimReleased() {
    // $LATEST: qscanner scans whatever is current when it runs.
    JsonNode event = target("eventbridge/create-function.json", "orders-api-redeployed", "change-code");
    String resolvedSha = sha("orders-api-redeployed");

    ExecutionReport report = run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("CODE_CHANGED");
    assertThat(record.path("reason").asText()).contains("code changed during the scan").contains(resolvedSha)
        .contains(sha("orders-api-redeployed"));
    assertThat(record.path("target").path("codeSha256").asText()).isEqualTo(resolvedSha);
    assertThat(record.path("counts").path("urgent").asInt()).as("no verdict: no findings").isZero();
    assertThat(record.path("topFindings")).isEmpty();
    assertValidRecord(record);
    assertThat(report.notification()).as("the owners hear of it").isNotNull();
    assertThat(report.notification().path("Subject").asText()).contains("CODE CHANGED");
    assertThat(claimsOf(executionName(report))).as("the claim on the resolved code is released").isEmpty();
  }

  @Test
  @Order(2)
  void execute_whenLatestRedeployedWhileAPublishedVersionIsScanned_expectationVerdictKept() {
    // Version 7 is immutable: a deploy to $LATEST during its scan does not touch what was scanned.
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api-v7", "change-code");

    ExecutionReport report = run(event);

    assertThat(report.record().path("status").asText()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.record().path("target").path("version").asText()).isEqualTo("7");
  }

  @Test
  @Order(3)
  void execute_whenPartialThenSameCodeAgain_expectationSecondEventScansAgain() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api-partial-twice", "partial");
    ExecutionReport first = run(event);
    assertThat(first.record().path("status").asText()).as(describe(first)).isEqualTo("PARTIAL");

    ExecutionReport second = run(event);

    assertThat(second.stateNames()).as("not a DUPLICATE skip: " + describe(second)).containsExactlyElementsOf(SCANNED);
    assertThat(second.record().path("status").asText()).isEqualTo("PARTIAL");
    assertThat(claimsOf(executionName(first))).isEmpty();
    assertThat(claimsOf(executionName(second))).isEmpty();
  }

  @Test
  @Order(4)
  void execute_whenReportCannotBeMapped_expectationPartialWithReasonAndRescanned() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api-unmapped", "unmapped-report");
    ExecutionReport first = run(event);

    assertThat(first.status()).as(describe(first)).isEqualTo("SUCCEEDED");
    JsonNode record = first.record();
    assertThat(record.path("status").asText()).as("never a clean SUCCEEDED with zero findings").isEqualTo("PARTIAL");
    assertThat(record.path("reason").asText()).contains("results the parser could not map");
    assertValidRecord(record);
    assertThat(first.notification()).isNotNull();

    ExecutionReport second = run(event);

    assertThat(second.stateNames()).as(describe(second)).containsExactlyElementsOf(SCANNED);
  }

  @Test
  @Order(5)
  void execute_whenPolicyDeniesAndNoFindingCanBeRead_expectationDenyKeptClaimReleasedAndRescanned() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api-deny-unmapped", "deny-unmapped");
    ExecutionReport first = run(event);

    assertThat(first.status()).as(describe(first)).isEqualTo("SUCCEEDED");
    JsonNode record = first.record();
    assertThat(record.path("status").asText()).as("the policy's verdict stands").isEqualTo("POLICY_DENY");
    assertThat(record.path("scanner").path("findingsUnmapped").asBoolean()).isTrue();
    assertThat(record.path("reason").asText()).contains("no finding in the report could be read");
    assertValidRecord(record);
    assertThat(claimsOf(executionName(first))).as("not a full verdict: the claim is released").isEmpty();

    ExecutionReport second = run(event);

    assertThat(second.stateNames()).as("not a DUPLICATE skip: " + describe(second)).containsExactlyElementsOf(SCANNED);
    assertThat(second.record().path("status").asText()).isEqualTo("POLICY_DENY");
  }

  @Test
  @Order(100)
  void artifacts_afterEveryPath_expectationNoTokenCredentialOrPresignedUrlAnywhere() {
    assertThat(leaks.executions()).as("the paths ran first").hasSizeGreaterThanOrEqualTo(5);

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("history ")).anyMatch(k -> k.startsWith("s3 results/"));
  }

  private static JsonNode target(String sample, String functionName, String scenario) {
    pipeline.scenarios("findings", Map.of(functionName, scenario));
    JsonNode event = Samples.renamed(sample, "orders-api", functionName);
    pipeline.ensureTarget(event);
    leaks.registerTarget(pipeline.lambdaControl(), functionName);
    return event;
  }

  private static String sha(String functionName) {
    return pipeline.lambdaControl().getFunctionConfiguration(b -> b.functionName(functionName)).codeSha256();
  }

  /** The dedup claims (claims/*.json) that name this scan. */
  private static List<String> claimsOf(String scanId) {
    return pipeline.s3().listObjectsV2Paginator(b -> b.bucket(pipeline.bucket()).prefix("claims/")).contents().stream()
        .map(o -> pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket()).key(o.key()))
            .asString(StandardCharsets.UTF_8))
        .filter(body -> body.contains("\"" + scanId + "\""))
        .toList();
  }

  private static ExecutionReport run(JsonNode event) {
    return leaks.register(pipeline.execute(event, LIMIT));
  }
}
