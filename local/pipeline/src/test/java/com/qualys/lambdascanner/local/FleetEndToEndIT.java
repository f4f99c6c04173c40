package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet workflow end to end (docs/fleet.md): 60 functions over 3 accounts and 2 regions, the hub's own account,
 * a spoke, and a spoke whose role refuses to be assumed; two functions opted out by tag, one image function, one with
 * layers. The real fleet ASL runs in moto's interpreter, its Distributed Map starts the real scan state machine per
 * function; Run QScanner invocations are counted by the local Lambda service. The runs are ordered: the second
 * finds every scan a duplicate, the third runs after the freshness window.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetEndToEndIT {

  static final String HUB = PipelineSettings.DEFAULT_ACCOUNT;
  static final String SPOKE = PipelineSettings.SPOKE_ACCOUNT;
  static final String UNREACHABLE = "310987654321";
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final Duration LIMIT = Duration.ofMinutes(15);
  /** 25 + 25 reachable functions, 10 behind the refused role. */
  private static final int REACHABLE = 50;
  private static final int OPTED_OUT = 2;
  private static final int ELIGIBLE = REACHABLE - OPTED_OUT;

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
          .withMaxConcurrency(3));
  @InjectPipeline private static LocalPipeline pipeline;
  private static LocalFleet fleet;
  @InjectPipeline private static Leaks leaks;
  private static Schema schema;

  @BeforeAll
  static void start() {
    fleet = LocalFleet.start(pipeline, sixtyFunctions(), "P7D", Map.of("FleetMaxConcurrency", "6"));
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
        Samples.text(Samples.projectRoot().resolve("docs/coverage.schema.json")), InputFormat.JSON);
  }

  /** Hub and spoke: 13 functions in us-east-1 and 12 in eu-west-1 each; the unreachable spoke 5 and 5. */
  static FleetSpec sixtyFunctions() {
    List<FleetSpec.Account> accounts = new ArrayList<>();
    for (String account : List.of(HUB, SPOKE, UNREACHABLE)) {
      List<FleetSpec.Function> functions = new ArrayList<>();
      int count = account.equals(UNREACHABLE) ? 10 : 25;
      for (int i = 0; i < count; i++) {
        String region = REGIONS.get(i < (count + 1) / 2 ? 0 : 1);
        String name = "fn-" + account.substring(0, 3) + "-" + i;
        Map<String, String> tags = new HashMap<>(Map.of("team", "t" + (i % 4)));
        String packageType = "Zip";
        List<String> layers = List.of();
        if (account.equals(HUB) && i == 0) {
          name = "image-api";
          packageType = "Image";
        } else if (account.equals(SPOKE) && i == 0) {
          name = "layered-api";
          layers = List.of("arn:aws:lambda:" + region + ":" + SPOKE + ":layer:libs:2");
        } else if ((account.equals(HUB) || account.equals(SPOKE)) && i == count - 1) {
          name = "opted-out-" + account.substring(0, 3);
          tags.put("QualysScan", "false");
        }
        functions.add(new FleetSpec.Function(name, region, packageType, tags, layers));
      }
      accounts.add(new FleetSpec.Account(account, REGIONS, !account.equals(UNREACHABLE), functions));
    }
    FleetSpec spec = new FleetSpec(accounts);
    assertThat(spec.functionCount()).isEqualTo(60);
    return spec;
  }

  @Test
  @Order(1)
  void run_whenFleetFirstRuns_expectationEveryEligibleFunctionScannedOnceAndTheRestCoveredWithReasons() {
    LocalFleet.FleetReport report = fleet.run(LIMIT);

    assertThat(report.status()).as(report.states().toString()).isEqualTo("SUCCEEDED");
    assertThat(report.stateNamesInOrder()).containsExactly("Enumerate Functions", "Scan Each Function",
        "Build Coverage", "Fleet Run Complete");
    assertThat(report.scans()).as("Run QScanner invocations").isEqualTo(ELIGIBLE);
    JsonNode coverage = assertValidCoverage(report);
    Map<String, JsonNode> byName = byName(coverage);
    List<JsonNode> scanned = inState(coverage, "SCANNED");
    assertThat(scanned).hasSize(ELIGIBLE).allSatisfy(f -> {
      assertThat(f.path("scannedThisRun").asBoolean()).isTrue();
      assertThat(f.path("lastScan").path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(f.path("lastScan").path("highestSeverity").asInt()).isPositive();
    });
    // One scan execution per function, each its own.
    assertThat(scanned.stream().map(f -> f.path("executionArn").asText()).distinct()).hasSize(ELIGIBLE);
    assertThat(inState(coverage, "EXCLUDED")).extracting(f -> f.path("functionName").asText() + " "
        + f.path("reason").asText()).containsExactlyInAnyOrder("opted-out-123 EXCLUDED_BY_TAG",
            "opted-out-210 EXCLUDED_BY_TAG");
    List<JsonNode> unreachable = inState(coverage, "UNREACHABLE");
    assertThat(unreachable).hasSize(REGIONS.size()).allSatisfy(f -> {
      assertThat(f.path("accountId").asText()).isEqualTo(UNREACHABLE);
      assertThat(f.path("error").asText()).contains("AccessDenied").contains(UNREACHABLE);
    });
    assertThat(byName.get("image-api").path("packageType").asText()).isEqualTo("Image");
    assertThat(byName.get("image-api").path("state").asText()).isEqualTo("SCANNED");
    JsonNode layered = LocalPipeline.parse(pipeline.resultObject(
        "latest/" + SPOKE + "/us-east-1/layered-api.json"));
    assertThat(layered.path("target").path("layers")).hasSize(1);
    assertThat(byName.get("layered-api").path("state").asText()).isEqualTo("SCANNED");
    JsonNode summary = coverage.path("summary");
    assertThat(summary.path("total").asInt()).isEqualTo(REACHABLE + REGIONS.size());
    assertThat(summary.path("scanned").asInt()).isEqualTo(ELIGIBLE);
    assertThat(summary.path("excluded").asInt()).isEqualTo(OPTED_OUT);
    assertThat(summary.path("unreachable").asInt()).isEqualTo(REGIONS.size());
    assertThat(summary.path("failed").asInt()).isZero();
    assertThat(summary.path("notScanned").asInt()).isZero();
    assertThat(summary.path("coveragePercent").asDouble()).isEqualTo(96.0);
    // No trail locally: the first run says that no change event arrived from any reachable region with functions.
    assertThat(coverage.path("notes").toString()).contains("No Lambda change event has reached the pipeline");
  }

  @Test
  @Order(2)
  void run_whenRunAgainAtOnce_expectationZeroScansAllDuplicate() {
    LocalFleet.FleetReport report = fleet.run(LIMIT);

    assertThat(report.status()).isEqualTo("SUCCEEDED");
    assertThat(report.scans()).as("Run QScanner invocations").isZero();
    JsonNode coverage = assertValidCoverage(report);
    assertThat(inState(coverage, "SCANNED")).hasSize(ELIGIBLE).allSatisfy(f -> {
      assertThat(f.path("reason").asText()).isEqualTo("DUPLICATE");
      assertThat(f.path("scannedThisRun").asBoolean()).isFalse();
    });
    assertThat(coverage.path("summary").path("coveragePercent").asDouble()).isEqualTo(96.0);
  }

  @Test
  @Order(3)
  void run_whenFreshnessWindowPassed_expectationRescannedAndAFailedScanShownWithItsError() throws Exception {
    // Resolve Target with a one-second window (the deployed default is P7D): every COMPLETED claim is now stale.
    PipelineSettings.Function resolve = PipelineSettings.FUNCTIONS.getFirst();
    Map<String, String> env = new LinkedHashMap<>(pipeline.environment(resolve));
    env.put("RESCAN_AFTER", "PT1S");
    pipeline.registerFunction(resolve, env);
    Thread.sleep(1_500);
    pipeline.scenarios("findings", Map.of("fn-210-5", "error"));

    LocalFleet.FleetReport report = fleet.run(LIMIT);

    assertThat(report.status()).isEqualTo("SUCCEEDED");
    assertThat(report.scans()).as("Run QScanner invocations").isEqualTo(ELIGIBLE);
    JsonNode coverage = assertValidCoverage(report);
    assertThat(inState(coverage, "SCANNED")).hasSize(ELIGIBLE - 1)
        .allSatisfy(f -> assertThat(f.path("scannedThisRun").asBoolean()).isTrue());
    JsonNode failed = byName(coverage).get("fn-210-5");
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").asText()).contains("FAILED").contains("TerminalException");
    assertThat(coverage.path("summary").path("failed").asInt()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void everything_afterTheFleetRuns_expectationOneMessagePerRunAndNoSecretAnywhere() {
    Map<String, String> artifacts = leaks.assertNoSecretAnywhere();

    long fleetMessages = artifacts.entrySet().stream()
        .filter(e -> e.getKey().startsWith("sns message") && e.getValue().contains("FleetCoverage")).count();
    assertThat(fleetMessages).as("one SNS message per fleet run").isEqualTo(3);
    assertThat(artifacts.keySet()).anyMatch(k -> k.startsWith("s3 coverage/runs/")).contains("s3 coverage/latest.json");
    // The EMF lines CloudWatch turns into CoveragePercent and UnscannedFunctions (the CoverageAlarm's metric).
    String coverageLog = artifacts.get("log fleet-coverage.log");
    assertThat(coverageLog).contains("\"Namespace\":\"QualysLambdaScanner\"").contains("\"Name\":\"CoveragePercent\"")
        .contains("\"CoveragePercent\":96.0,\"UnscannedFunctions\":2");
  }

  private static JsonNode assertValidCoverage(LocalFleet.FleetReport report) {
    JsonNode coverage = report.coverage();
    assertThat(coverage).as("coverage of " + report.executionArn()).isNotNull();
    assertThat(schema.validate(coverage.toString(), InputFormat.JSON)).as("schema errors").isEmpty();
    assertThat(LocalPipeline.parse(pipeline.resultObject("coverage/latest.json"))).isEqualTo(coverage);
    return coverage;
  }

  private static List<JsonNode> inState(JsonNode coverage, String state) {
    return StreamSupport.stream(coverage.path("functions").spliterator(), false)
        .filter(f -> f.path("state").asText().equals(state)).toList();
  }

  private static Map<String, JsonNode> byName(JsonNode coverage) {
    Map<String, JsonNode> byName = new HashMap<>();
    coverage.path("functions").forEach(f -> byName.put(f.path("functionName").asText(), f));
    return byName;
  }
}
