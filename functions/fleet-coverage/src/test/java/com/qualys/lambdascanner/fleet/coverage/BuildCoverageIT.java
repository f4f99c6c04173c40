package com.qualys.lambdascanner.fleet.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.fleet.FleetInventory;
import com.qualys.lambdascanner.common.fleet.InventoryFunction;
import com.qualys.lambdascanner.common.fleet.InventoryScope;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Build Coverage against moto's S3 and SNS as its own role (the stack's IAM enforced): the files it writes, the message
 * it sends, what it refuses to read.
 */
class BuildCoverageIT {

  private static final String SCANNED = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
  private static final String MISSING = "arn:aws:lambda:us-east-1:123456789012:function:orders-worker";

  private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:coverage-it-findings";

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack().setup(stack -> {
    try (SnsClient sns = stack.harness(SnsClient.builder())) {
      String topic = sns.createTopic(b -> b.name("coverage-it-findings")).topicArn();
      stack.physical("FindingsTopic", topic, topic);
    }
  }).build();

  /** The deployer's client: seeds the run, reads back the files. */
  private static S3Client s3;
  /** Fleet Coverage's own clients: sessions of its role. */
  private static S3Client coverageS3;
  private static SnsClient coverageSns;

  private final JsonCodec json = new JsonCodec();
  private final List<String> metricLines = new ArrayList<>();
  private String bucket;
  private final String topicArn = TOPIC;
  private BuildCoverage sut;

  @BeforeAll
  static void clients() {
    s3 = AWS.harness(S3Client.builder());
    coverageS3 = AWS.client(S3Client.builder(), "FleetCoverageFunctionRole");
    coverageSns = AWS.client(SnsClient.builder(), "FleetCoverageFunctionRole");
  }


  @BeforeEach
  void create() {
    bucket = AWS.bucket();
    CoverageConfig config = new CoverageConfig(bucket, topicArn, Duration.ofDays(7));
    sut = new BuildCoverage(config, new FleetObjects(coverageS3, bucket, json), coverageSns,
        new CoverageMetrics(json, metricLines::add), json, new StructuredLog(json, new CapturingLogger()),
        Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));
  }

  private void put(String key, Object body) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body instanceof String t ? t : json.toJson(body)));
  }

  private JsonNode read(String key) throws IOException {
    return json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
  }

  private JsonNode request(String runId, String writerBucket, String manifestKey) throws IOException {
    return json.mapper().readTree(json.toJson(Map.of("runId", runId, "executionArn", "arn:aws:states:x",
        "results", Map.of("ResultWriterDetails", Map.of("Bucket", writerBucket, "Key", manifestKey)))));
  }

  /** A run: two functions in 123456789012/us-east-1, a denied scope; the map returned one item. */
  private void seedRun(String runId) {
    put(FleetInventory.inventoryKey(runId), new FleetInventory(runId, "2026-12-01T11:00:00Z",
        List.of(new InventoryScope("123456789012", "us-east-1", true, 2, null),
            new InventoryScope("310987654321", "us-east-1", false, 0, "TerminalException: AccessDenied")),
        List.of(new InventoryFunction(SCANNED, "123456789012", "us-east-1", "orders-api", "Zip", "java21", "a", List.of()),
            new InventoryFunction(MISSING, "123456789012", "us-east-1", "orders-worker", "Zip", "java21", "b",
                List.of()))));
    String item = json.toJson(Map.of("functionArn", SCANNED, "scan", Map.of("executionArn", "arn:aws:states:s",
        "record", Map.of("status", "SUCCEEDED"), "decision", Map.of("action", "SCAN"))));
    put("fleet/results/map-1/SUCCEEDED_0.json", List.of(Map.of("Output", item, "Status", "SUCCEEDED")));
    put("fleet/results/map-1/manifest.json", Map.of("ResultFiles", Map.of("SUCCEEDED",
        List.of(Map.of("Key", "fleet/results/map-1/SUCCEEDED_0.json")), "FAILED", List.of())));
    put("latest/123456789012/us-east-1/orders-api.json", Map.of("scanId", "s1", "status", "SUCCEEDED",
        "highestSeverity", 5, "timings", Map.of("recordedAt", "2026-12-01T11:30:00Z"),
        "trigger", Map.of("source", "aws.lambda")));
  }

  @Test
  void build_whenRunFinished_writesBothFilesEmitsMetricsAndPublishesOnce() throws IOException {
    seedRun("run-1");

    Map<String, Object> out = sut.build(request("run-1", bucket, "fleet/results/map-1/manifest.json"));

    JsonNode coverage = read("coverage/runs/run-1.json");
    assertThat(read(BuildCoverage.LATEST_KEY)).isEqualTo(coverage);
    assertThat(coverage.path("summary").path("total").asInt()).isEqualTo(3);
    assertThat(coverage.path("summary").path("scanned").asInt()).isEqualTo(1);
    assertThat(coverage.path("summary").path("notScanned").asInt()).isEqualTo(1);
    assertThat(coverage.path("summary").path("unreachable").asInt()).isEqualTo(1);
    assertThat(coverage.path("summary").path("coveragePercent").asDouble()).isEqualTo(33.3);
    assertThat(coverage.path("scopes").get(0).path("eventsSeen").asBoolean()).isTrue();
    assertThat(coverage.path("notes")).isEmpty();
    assertThat(metricLines).singleElement().asString().contains("\"CoveragePercent\":33.3")
        .contains("\"UnscannedFunctions\":2");
    assertThat(out).containsEntry("coverageKey", "coverage/runs/run-1.json").containsKey("messageId");
    assertThat((String) out.get("messageId")).isNotBlank();
    // The page beside the JSON, under the bucket's default encryption, the stack's key (no SSE header of its own:
    // the bucket policy refuses an upload that names another).
    var page = s3.getObjectAsBytes(b -> b.bucket(bucket).key(BuildCoverage.LATEST_HTML_KEY));
    assertThat(page.response().contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(page.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(page.response().ssekmsKeyId()).isEqualTo(AWS.keyArn());
    assertThat(page.asUtf8String()).contains("<span id=\"coverage-percent\">33.3</span>", ">orders-api<");
  }

  @Test
  void build_whenScopeUnreachableAgain_listsTheFunctionsThePreviousRunFoundThere() throws IOException {
    put(BuildCoverage.LATEST_KEY, Map.of("functions", List.of(Map.of("functionArn",
        "arn:aws:lambda:us-east-1:310987654321:function:legacy", "accountId", "310987654321", "region", "us-east-1",
        "functionName", "legacy", "packageType", "Zip"))));
    seedRun("run-2");

    sut.build(request("run-2", bucket, "fleet/results/map-1/manifest.json"));

    JsonNode unreachable = null;
    for (JsonNode f : read("coverage/runs/run-2.json").path("functions")) {
      if (f.path("state").asText().equals("UNREACHABLE")) {
        unreachable = f;
      }
    }
    assertThat(unreachable).isNotNull();
    assertThat(unreachable.path("functionName").asText()).isEqualTo("legacy");
    assertThat(unreachable.path("error").asText()).contains("AccessDenied");
  }

  @Test
  void build_whenTheOrganizationRefusedListAccounts_coverageSaysSoWithTheTypedError() throws IOException {
    seedRun("run-6");
    FleetInventory seeded = json.mapper().treeToValue(read(FleetInventory.inventoryKey("run-6")), FleetInventory.class);
    put(FleetInventory.inventoryKey("run-6"), new FleetInventory("run-6", seeded.enumeratedAt(), seeded.scopes(),
        seeded.functions(), "TerminalException: organizations:ListAccounts failed (AccessDeniedException, HTTP 400)"));

    sut.build(request("run-6", bucket, "fleet/results/map-1/manifest.json"));

    JsonNode coverage = read("coverage/runs/run-6.json");
    assertThat(coverage.path("notes").get(0).asText()).startsWith("The Organization's accounts were not listed")
        .contains("AccessDeniedException");
    assertThat(coverage.path("summary").path("total").asInt()).as("the listed accounts are still covered").isEqualTo(3);
  }

  @Test
  void build_whenMapStopped_coversWhatItKnowsAndSaysWhy() throws IOException {
    seedRun("run-3");
    JsonNode stopped = json.mapper().readTree(json.toJson(Map.of("runId", "run-3",
        "results", Map.of("Error", "States.ExceedToleratedFailureThreshold", "Cause", "too many failed items"))));

    sut.build(stopped);

    JsonNode coverage = read("coverage/runs/run-3.json");
    assertThat(coverage.path("summary").path("notScanned").asInt()).isEqualTo(2);
    assertThat(coverage.path("notes").toString()).contains("States.ExceedToleratedFailureThreshold");
  }

  @Test
  void build_whenStateNamesObjectsOutsideTheResultsPrefix_refusesThem() throws IOException {
    seedRun("run-4");
    put("fleet/results/map-2/manifest.json", Map.of("ResultFiles", Map.of("SUCCEEDED",
        List.of(Map.of("Key", "claims/abc.json")))));

    for (JsonNode hostile : List.of(request("run-4", "other-bucket", "fleet/results/map-1/manifest.json"),
        request("run-4", bucket, "latest/123456789012/us-east-1/orders-api.json"),
        request("run-4", bucket, "fleet/results/../claims/x.json"),
        request("run-4", bucket, "fleet/results/map-2/manifest.json"))) {
      assertThatThrownBy(() -> sut.build(hostile)).as(hostile.toString()).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> sut.build(request("../x", bucket, "fleet/results/map-1/manifest.json")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> sut.build(request("no-inventory", bucket, "fleet/results/map-1/manifest.json")))
        .isInstanceOf(TerminalException.class).hasMessageContaining("inventory");
  }
}
