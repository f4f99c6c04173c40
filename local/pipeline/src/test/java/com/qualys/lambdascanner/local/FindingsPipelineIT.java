package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.executionName;
import static com.qualys.lambdascanner.local.Paths.output;
import static com.qualys.lambdascanner.local.Scans.assertScanned;
import static com.qualys.lambdascanner.local.Scans.attribute;
import static com.qualys.lambdascanner.local.Scans.subject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
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
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Findings where security teams work, end to end through the state machine: what is new and fixed since the
 * previous scan (and latest/ never moving back), the suppression list, the alert attribute subscribers filter on
 * (AlertOnNewOnly), the Qualys locator in the record, the message and the function's tags, and the SBOMs kept per
 * scan. Acting on findings (quarantine, chat): {@link ActingOnFindingsIT}. Each scan is a
 * real execution of the real functions; a redeploy between scans is a real UpdateFunctionCode in the emulator, so
 * Resolve Target sees new code and the dedup claim does not skip the rescan.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FindingsPipelineIT {

  /** Notify's ALERT_ON_NEW_ONLY here: only a new critical (4) or urgent (5) finding alerts. */
  private static final int ALERT_THRESHOLD = 4;

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("notify", "ALERT_ON_NEW_ONLY", Integer.toString(ALERT_THRESHOLD))
          .withEnvironment("store-results", "TAG_SCANNED_FUNCTIONS", "true")
          // SbomSpdx=true: both SBOMs (CycloneDX alone is the default, see ConfigTest).
          .withEnvironment("run-qscanner", "QSCANNER_SBOM_FORMATS", "cyclonedx,spdx")
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  @InjectPipeline private static Scans scans;
  /** A subscriber that takes only alerts, with the filter policy the template gives NotificationEmail. */
  private static String alertQueueUrl;

  @BeforeAll
  static void start() {
    // The template's bucket is versioned: the record names the list version it applied.
    pipeline.s3().putBucketVersioning(b -> b.bucket(pipeline.bucket()).versioningConfiguration(v -> v.status("Enabled")));
    alertQueueUrl = scans.subscribe(pipeline.topicArn(), "findings-alerts-only", "{\"alert\": [\"true\"]}");
  }

  @Test
  @Order(1)
  void execute_whenRescannedWithChangedFindings_expectationNewFixedPersistingAndMessageLeadsWithNew() {
    String fn = "orders-api-delta";
    JsonNode event = scans.target(fn);

    ExecutionReport first = scans.run(event);

    assertScanned(first);
    JsonNode firstChanges = first.record().path("changes");
    assertThat(firstChanges.path("comparedWith").asText()).isEqualTo("NONE");
    assertThat(firstChanges.path("newCounts").path("urgent").asInt()).isEqualTo(1);
    assertThat(firstChanges.path("newCounts").path("critical").asInt()).isEqualTo(1);
    assertThat(firstChanges.path("newCounts").path("serious").asInt()).isEqualTo(2);
    assertThat(firstChanges.path("newHighestSeverity").asInt()).isEqualTo(5);
    assertThat(first.record().path("findingsIndexKey").asText()).endsWith("/" + executionName(first) + "/findings-index.json");
    assertThat(subject(first)).startsWith("[SCANNED] 1 new urgent, 1 new critical in " + fn);
    assertThat(attribute(first, "alert")).isEqualTo("true");

    // A redeploy whose scan no longer has Log4Shell but has a new critical in jackson-databind.
    pipeline.scenarios("findings", Map.of(fn, "changed"));
    ExecutionReport second = scans.run(scans.redeploy(event, fn, "v2"));

    assertScanned(second);
    JsonNode changes = second.record().path("changes");
    assertThat(changes.path("comparedWith").asText()).isEqualTo("PREVIOUS");
    assertThat(changes.path("previousScanId").asText()).isEqualTo(executionName(first));
    assertThat(changes.path("newCounts").path("critical").asInt()).isEqualTo(1);
    assertThat(total(changes.path("newCounts"))).isEqualTo(1);
    assertThat(changes.path("fixedCounts").path("urgent").asInt()).isEqualTo(1);
    assertThat(total(changes.path("fixedCounts"))).isEqualTo(1);
    assertThat(total(changes.path("persistingCounts"))).isEqualTo(5);
    assertThat(changes.path("newHighestSeverity").asInt()).isEqualTo(4);
    assertThat(changes.path("newFindings").get(0).path("qid").asText()).isEqualTo("380712");
    assertThat(changes.path("fixedFindings").get(0).path("qid").asText()).isEqualTo("376657");
    assertThat(changes.path("complete").asBoolean()).isTrue();
    assertThat(subject(second)).startsWith("[SCANNED] 1 new critical in " + fn + "; 1 fixed");
    JsonNode message = Samples.json(second.notification().path("Message").asText());
    assertThat(message.fieldNames().next()).isEqualTo("schemaVersion");
    assertThat(message.path("headline").asText()).isEqualTo(subject(second));
    assertThat(message.path("changes").path("newFindings").get(0).path("qid").asText()).isEqualTo("380712");
    assertThat(attribute(second, "newHighestSeverity")).isEqualTo("4");
    assertThat(attribute(second, "alert")).isEqualTo("true");
    // Store Results hands the changes on in the state (Notify reads them there).
    assertThat(output(second, "Store Results").path("record").path("changes").path("newHighestSeverity").asInt())
        .isEqualTo(4);

    // The same findings again: stored and published, but nothing new, so no alert.
    ExecutionReport third = scans.run(scans.redeploy(event, fn, "v3"));

    assertScanned(third);
    assertThat(total(third.record().path("changes").path("newCounts"))).isZero();
    assertThat(total(third.record().path("changes").path("persistingCounts"))).isEqualTo(6);
    assertThat(subject(third)).startsWith("[SCANNED] no new findings in " + fn);
    assertThat(attribute(third, "newHighestSeverity")).isEqualTo("0");
    assertThat(attribute(third, "alert")).isEqualTo("false");
    assertThat(alertsFor(List.of(first, second, third)))
        .as("the alerts-only subscriber got the first two scans, not the third")
        .containsExactlyInAnyOrder(executionName(first), executionName(second));
  }

  @Test
  @Order(2)
  void execute_whenOlderChangeFinishesLast_expectationLatestNotMovedBack() {
    String fn = "orders-api-late";
    JsonNode newer = withEventTime(scans.target(fn), "2026-11-21T09:00:00Z");
    ExecutionReport latestScan = scans.run(newer);
    assertScanned(latestScan);
    String latestKey = "latest/123456789012/us-east-1/" + fn + ".json";
    assertThat(latestScanId(latestKey)).isEqualTo(executionName(latestScan));

    // The event of an earlier change, delivered (and scanned) after the later one's.
    ExecutionReport older = scans.run(withEventTime(scans.redeploy(newer, fn, "older"), "2026-11-20T09:00:00Z"));

    assertScanned(older);
    assertThat(older.record().path("changes").path("comparedWith").asText()).isEqualTo("NEWER_SCAN_EXISTS");
    assertThat(older.record().path("changes").path("previousScanId").asText()).isEqualTo(executionName(latestScan));
    assertThat(output(older, "Store Results").path("record").path("latestKey").isNull()).isTrue();
    assertThat(latestScanId(latestKey)).as("latest/ still holds the later change's scan")
        .isEqualTo(executionName(latestScan));
    assertThat(attribute(older, "alert")).isEqualTo("false");
  }

  @Test
  @Order(3)
  void execute_whenSuppressionListAcceptsRisks_expectationCountedApartNotAlertedBadEntriesInRecordExpiryBrings() {
    String fn = "orders-api-accepted";
    Instant future = Instant.now().plus(Duration.ofDays(30));
    putSuppressions("""
        {"schemaVersion": "1", "suppressions": [
          {"id": "376657", "functions": "orders-api-accept*", "reason": "not reachable: JNDI lookups disabled",
           "owner": "appsec@example.com", "expires": "%s"},
          {"id": "CVE-2023-44487", "functions": "%s", "reason": "expired exception", "owner": "appsec@example.com",
           "expires": "2020-01-01"},
          {"id": "rm -rf /", "functions": "*", "reason": "bad id", "owner": "someone"},
          {"id": "380141", "functions": "orders-api-other", "reason": "another function", "owner": "x",
           "expires": "%s"}
        ]}""".formatted(future, fn, future));
    JsonNode event = scans.target(fn);

    ExecutionReport first = scans.run(event);

    assertScanned(first);
    JsonNode suppressions = first.record().path("suppressions");
    assertThat(suppressions.path("listKey").asText()).isEqualTo(PipelineSettings.SUPPRESSION_LIST_KEY);
    assertThat(suppressions.path("listVersionId").asText()).isNotBlank();
    assertThat(suppressions.path("counts").path("urgent").asInt()).isEqualTo(1);
    assertThat(total(suppressions.path("counts"))).isEqualTo(1);
    assertThat(suppressions.path("suppressed")).extracting(JsonNode::asText)
        .containsExactly("376657/org.apache.logging.log4j:log4j-core");
    assertThat(suppressions.path("errors")).extracting(JsonNode::asText)
        .containsExactly("suppressions[2]: id must be a QID (digits) or a CVE id (CVE-yyyy-nnnn)");
    JsonNode changes = first.record().path("changes");
    assertThat(changes.path("newCounts").path("urgent").asInt()).as("the accepted risk is not new").isZero();
    assertThat(changes.path("newCounts").path("critical").asInt()).as("the expired entry no longer applies")
        .isEqualTo(1);
    assertThat(first.record().path("counts").path("urgent").asInt()).as("the scanner's own counts stay").isEqualTo(1);
    assertThat(subject(first)).startsWith("[SCANNED] 1 new critical, 2 new serious in " + fn);

    // The accepted risk expires: the finding comes back, as new, and alerts.
    putSuppressions("""
        {"schemaVersion": "1", "suppressions": [
          {"id": "376657", "functions": "orders-api-accept*", "reason": "not reachable", "owner": "appsec@example.com",
           "expires": "2021-06-30T00:00:00Z"}
        ]}""");
    ExecutionReport second = scans.run(scans.redeploy(event, fn, "v2"));

    assertScanned(second);
    assertThat(total(second.record().path("suppressions").path("counts"))).isZero();
    assertThat(second.record().path("changes").path("newCounts").path("urgent").asInt()).isEqualTo(1);
    assertThat(total(second.record().path("changes").path("newCounts"))).isEqualTo(1);
    assertThat(subject(second)).startsWith("[SCANNED] 1 new urgent in " + fn);
    assertThat(attribute(second, "alert")).isEqualTo("true");

    // A list that is not JSON is a clear error in the record, and the scan still succeeds.
    putSuppressions("{\"suppressions\": [ this is not json");
    ExecutionReport third = scans.run(scans.redeploy(event, fn, "v3"));

    assertScanned(third);
    assertThat(third.record().path("suppressions").path("errors")).extracting(JsonNode::asText)
        .containsExactly("the list is not JSON; nothing suppressed");
    pipeline.s3().deleteObject(b -> b.bucket(pipeline.bucket()).key(PipelineSettings.SUPPRESSION_LIST_KEY));
  }

  @Test
  @Order(4)
  void execute_whenQScannerReportsImageMetadata_expectationLocatorInRecordMessageAndTags() {
    String fn = "orders-api-located";
    ExecutionReport report = scans.run(scans.target(fn));

    assertScanned(report);
    JsonNode qualys = report.record().path("qualys");
    assertThat(qualys.path("repoTags").get(0).asText()).matches("lambdascan:\\d+");
    assertThat(qualys.path("imageId").asText()).matches("sha256:[a-f0-9]{64}");
    JsonNode message = Samples.json(report.notification().path("Message").asText());
    assertThat(message.path("qualys")).isEqualTo(qualys);
    Map<String, String> tags = scans.tags(fn);
    assertThat(tags).containsEntry("qualys-scan:repo-tag", qualys.path("repoTags").get(0).asText())
        .containsEntry("qualys-scan:image-id", qualys.path("imageId").asText())
        .containsEntry("qualys-scan:status", "SUCCEEDED");
  }

  @Test
  @Order(5)
  void execute_whenScanned_expectationCycloneDxAndSpdxSbomsKeptAndLinkedFromTheRecord() {
    ExecutionReport report = scans.run(scans.target("orders-api-sbom"));

    assertScanned(report);
    JsonNode sbom = report.record().path("sbom");
    String cyclonedxKey = sbom.path("cyclonedxKey").asText();
    String spdxKey = sbom.path("spdxKey").asText();
    assertThat(cyclonedxKey).startsWith("reports/123456789012/us-east-1/orders-api-sbom/" + executionName(report) + "/")
        .endsWith("-ScanResult.cyclonedx.json");
    assertThat(spdxKey).endsWith("-ScanResult.spdx.json");
    assertThat(report.record().path("reportKeys")).extracting(JsonNode::asText).contains(cyclonedxKey, spdxKey);
    JsonNode bom = Samples.json(pipeline.resultObject(cyclonedxKey));
    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(bom.path("components")).extracting(c -> c.path("purl").asText())
        .contains("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    JsonNode spdx = Samples.json(pipeline.resultObject(spdxKey));
    assertThat(spdx.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(spdx.path("packages").size()).isEqualTo(bom.path("components").size());
    JsonNode message = Samples.json(report.notification().path("Message").asText());
    assertThat(message.path("sbom")).isEqualTo(sbom);
  }

  @Test
  @Order(100)
  void artifacts_afterEveryScan_expectationNoTokenCredentialOrPresignedUrlAnywhere() {
    assertThat(leaks.executions()).as("the scans ran first").hasSizeGreaterThanOrEqualTo(10);

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.endsWith("findings-index.json"))
        .anyMatch(k -> k.startsWith("s3 latest/"))
        .anyMatch(k -> k.startsWith("sns message "));
  }

  // ----------------------------------------------------------------------------------------------------------




  private static JsonNode withEventTime(JsonNode event, String time) {
    ObjectNode copy = event.deepCopy();
    copy.put("time", time);
    ((ObjectNode) copy.path("detail")).put("eventTime", time);
    return copy;
  }





  private static int total(JsonNode counts) {
    int sum = 0;
    for (String s : List.of("urgent", "critical", "serious", "medium", "minimal")) {
      sum += counts.path(s).asInt();
    }
    return sum;
  }

  private static String latestScanId(String key) {
    return Samples.json(pipeline.resultObject(key)).path("scanId").asText();
  }

  private static void putSuppressions(String document) {
    pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(PipelineSettings.SUPPRESSION_LIST_KEY),
        RequestBody.fromString(document));
  }


  /** The scan ids the alerts-only queue received among these executions' (SNS to SQS is asynchronous). */
  private static List<String> alertsFor(List<ExecutionReport> reports) {
    List<String> ids = reports.stream().map(Paths::executionName).toList();
    List<String> received = new ArrayList<>();
    Instant giveUp = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(giveUp)) {
      List<Message> messages = pipeline.sqs().receiveMessage(b -> b.queueUrl(alertQueueUrl)
          .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
      for (Message m : messages) {
        String scanId = Samples.json(Samples.json(m.body()).path("Message").asText()).path("scanId").asText();
        if (ids.contains(scanId)) {
          received.add(scanId);
        }
      }
      if (received.size() >= 2 && messages.isEmpty()) {
        break;
      }
    }
    return received;
  }
}
