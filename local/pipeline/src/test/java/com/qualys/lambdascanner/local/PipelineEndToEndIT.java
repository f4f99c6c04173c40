package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.NOTIFICATION_FAILED;
import static com.qualys.lambdascanner.local.Paths.RETRYABLE;
import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.SCAN_FAILED;
import static com.qualys.lambdascanner.local.Paths.SCAN_TIMED_OUT;
import static com.qualys.lambdascanner.local.Paths.SCAN_TIMEOUT;
import static com.qualys.lambdascanner.local.Paths.OPTED_OUT;
import static com.qualys.lambdascanner.local.Paths.SKIPPED;
import static com.qualys.lambdascanner.local.Paths.TERMINAL;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.executionFailure;
import static com.qualys.lambdascanner.local.Paths.executionName;
import static com.qualys.lambdascanner.local.Paths.lambdaErrors;
import static com.qualys.lambdascanner.local.Paths.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.emulator.Authorization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of the state machine, end to end: the real ASL (moto's interpreter) running the five real function
 * packages (LocalLambda, through the AWS Lambda Runtime Interface Client) against targets created from the samples.
 * One pipeline for the class; each test scans its own function, so the dedup claims of one do not skip another.
 * Each test asserts the states visited in order and the outcome: the execution's status, the stored record, the
 * notification or its absence. The last test looks for secrets in everything all the others produced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  /** run-qscanner's cap here (its minimum scan time is 10 s): the hang scenario times out in seconds. */
  private static final int SCAN_TIMEOUT_SECONDS = 10;
  private static final String EXCLUDED_PREFIX = "scratch-";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("resolve-target", "EXCLUDE_NAME_PATTERN", "^" + EXCLUDED_PREFIX + ".*")
          .withEnvironment("run-qscanner", "SCAN_TIMEOUT_SECONDS", Integer.toString(SCAN_TIMEOUT_SECONDS))
          .withEnvironment("run-qscanner", "SCAN_SAFETY_MARGIN_SECONDS", "2")
          // Two cores: a few runtimes per function; more invocations queue for them, as with reserved concurrency.
          .withMaxConcurrency(4));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  /** The same ASL, with the Run QScanner Task's TimeoutSeconds below the function's own scan budget. */
  private static String backstopMachine;

  @BeforeAll
  static void start() {
    backstopMachine = pipeline.createStateMachine("qualys-lambda-scanner-backstop",
        Map.of("ScanTaskTimeoutSeconds", "3"));
  }

  /** Closes the pipeline before its extension does (a second close is a no-op), to see its runtimes stop. */
  @AfterAll
  static void stop() {
    if (pipeline == null) {
      return;
    }
    List<Long> runtimes = PipelineSettings.FUNCTIONS.stream()
        .flatMap(f -> pipeline.lambda().runtimePids(f.name()).stream()).toList();
    pipeline.close();
    // Every runtime (and the scanners they started) stops with the pipeline.
    assertThat(runtimes).isNotEmpty().allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("runtime " + pid).isEmpty());
  }

  // ----------------------------------------------------------------------------------------------------------
  // Scanned
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void execute_whenZipFunctionCodeUpdated_expectationScannedStoredAndNotified() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-e2e");

    ExecutionReport report = run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.states()).allSatisfy(s -> assertThat(s.status()).isEqualTo("Succeeded"));
    assertThat(report.recordBucket()).isEqualTo(pipeline.bucket());
    assertThat(report.recordKey()).startsWith("results/account=123456789012/region=us-east-1/date=")
        .endsWith(executionName(report) + ".json");
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("scanId").asText()).isEqualTo(executionName(report));
    assertThat(record.path("target").path("functionName").asText()).isEqualTo("orders-api-e2e");
    assertThat(record.path("target").path("packageType").asText()).isEqualTo("Zip");
    assertThat(record.path("counts").path("urgent").asInt()).isEqualTo(1);
    assertThat(record.path("counts").path("critical").asInt()).isEqualTo(1);
    assertThat(record.path("reportKeys")).isNotEmpty();
    assertValidRecord(record);
    assertThat(report.notification()).as("SNS message").isNotNull();
    assertThat(report.notification().path("TopicArn").asText()).isEqualTo(pipeline.topicArn());
    assertThat(report.notification().path("Subject").asText()).contains("orders-api-e2e");
    assertThat(report.notification().path("Message").asText()).contains(executionName(report));
    assertThat(report.history().size()).as("all the history, not a first page").isGreaterThan(20);
    // The record, latest/ and every report are under the stack's key (the bucket's default), none with SSE-S3.
    List<String> written = new ArrayList<>(List.of(report.recordKey(),
        "latest/123456789012/us-east-1/orders-api-e2e.json"));
    record.path("reportKeys").forEach(key -> written.add(key.asText()));
    for (String key : written) {
      var head = pipeline.s3().headObject(b -> b.bucket(pipeline.bucket()).key(key));
      assertThat(head.ssekmsKeyId()).as(key).isEqualTo(pipeline.resultsKeyArn());
    }
  }

  @Test
  @Order(2)
  void execute_whenImageFunctionCreated_expectationScannedAsImage() {
    JsonNode event = target("eventbridge/create-function-image.json", "orders-image", "orders-image-e2e");
    int decisionsBefore = pipeline.authorization().decisions().size();

    ExecutionReport report = run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.record().path("target").path("functionName").asText()).isEqualTo("orders-image-e2e");
    assertThat(report.record().path("target").path("packageType").asText()).isEqualTo("Image");
    // The stand-in pulled the image the deployer pushed (manifest, config, layer) with the ECR token Run QScanner
    // asked for as ScanRole: each registry request allowed by ScanRole's PullTargetImages (and the session policy).
    List<Authorization.Decision> pulls = pipeline.authorization().decisions()
        .subList(decisionsBefore, pipeline.authorization().decisions().size()).stream()
        .filter(d -> d.resource().equals("arn:aws:ecr:us-east-1:123456789012:repository/orders")).toList();
    assertThat(pulls).extracting(Authorization.Decision::action)
        .containsExactly("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetDownloadUrlForLayer");
    assertThat(pulls).allSatisfy(d -> {
      assertThat(d.allowed()).isTrue();
      assertThat(d.principal()).contains(":role/").contains("ScanRole");
      assertThat(d.allowedBy()).anyMatch(statement -> statement.endsWith("#PullTargetImages"));
    });
    assertValidRecord(report.record());
    assertThat(report.notification()).as("SNS message").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(executionName(report));
  }

  @Test
  @Order(3)
  void execute_whenPolicyDenies_expectationPolicyDenyRecordedAndNotified() {
    ExecutionReport report = scanWith("deny", "orders-api-deny");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("POLICY_DENY");
    assertThat(report.record().path("policyResult").asText()).isEqualTo("DENY");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("deny notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(executionName(report)).contains("DENY");
  }

  @Test
  @Order(4)
  void execute_whenPolicyAudits_expectationPolicyAuditRecordedAndNotified() {
    ExecutionReport report = scanWith("audit", "orders-api-audit");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("POLICY_AUDIT");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("audit notification").isNotNull();
  }

  @Test
  @Order(5)
  void execute_whenReportUnavailable_expectationPartialRecordedAndNotified() {
    ExecutionReport report = scanWith("partial", "orders-api-partial");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("PARTIAL");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("partial notification").isNotNull();
  }

  @Test
  @Order(6)
  void execute_whenScannerPrintsTheToken_expectationScannedAndTokenNowhere() {
    ExecutionReport report = scanWith("leak-token", "orders-api-leaky");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    // The final leak check proves the token stayed out of the history, logs, S3 and SNS.
    assertThat(report.toString()).doesNotContain(pipeline.token());
  }

  // ----------------------------------------------------------------------------------------------------------
  // Skipped: Record Skip, no notification
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(10)
  void execute_whenFunctionCreatedWithOptOutTag_expectationSkippedAndNotified() {
    // The function is created with the tags of its CreateFunction request, as AWS does (issue 12).
    JsonNode event = target("eventbridge/create-function-opted-out.json", "orders-api", "orders-api-tagged");

    ExecutionReport report = run(event);

    assertThat(report.stateNames()).as(describe(report)).containsExactlyElementsOf(OPTED_OUT);
    assertThat(report.record().path("skipReason").asText()).isEqualTo("EXCLUDED_BY_TAG");
    assertThat(report.notification()).as("the honoured opt-out is notified").isNotNull();
    assertThat(report.notification().path("Subject").asText()).startsWith("[SKIPPED] orders-api-tagged");
    assertThat(report.notification().path("Message").asText()).contains("EXCLUDED_BY_TAG").contains("opted it out");
  }

  @Test
  @Order(15)
  void execute_whenFunctionCarriesTheScannerTag_expectationScanned() {
    // The scanner's own tag is no identity: a tenant setting it on their function is scanned all the same.
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-disguised");
    String arn = pipeline.lambdaControl().getFunction(b -> b.functionName("orders-api-disguised"))
        .configuration().functionArn();
    pipeline.lambdaControl().tagResource(b -> b.resource(arn).tags(Map.of("qualys-lambda-scanner:component", "notify")));

    ExecutionReport report = run(event);

    assertThat(report.stateNames()).as(describe(report)).containsExactlyElementsOf(SCANNED);
  }

  @Test
  @Order(11)
  void execute_whenNameMatchesExcludePattern_expectationSkippedExcludedByName() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", EXCLUDED_PREFIX + "orders");

    assertSkipped(run(event), "EXCLUDED_BY_NAME", EXCLUDED_PREFIX + "orders");
  }

  @Test
  @Order(12)
  void execute_whenSameCodeAgain_expectationSkippedDuplicate() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-twice");
    ExecutionReport first = run(event);
    assertThat(first.status()).as(describe(first)).isEqualTo("SUCCEEDED");
    assertThat(first.stateNames()).containsExactlyElementsOf(SCANNED);

    ExecutionReport second = run(event);

    assertSkipped(second, "DUPLICATE", "orders-api-twice");
  }

  @Test
  @Order(13)
  void execute_whenCallFailed_expectationSkippedFailedCall() {
    JsonNode event = Samples.json(Samples.text(Samples.events().resolve("eventbridge/failed-call.json")));

    assertSkipped(run(event), "FAILED_CALL", null);
  }

  @Test
  @Order(14)
  void execute_whenFunctionDeletedSinceTheEvent_expectationSkippedNotFound() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-deleted");
    pipeline.lambdaControl().deleteFunction(b -> b.functionName("orders-api-deleted"));

    assertSkipped(run(event), "NOT_FOUND", null);
  }

  private static void assertSkipped(ExecutionReport report, String reason, String functionName) {
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SKIPPED);
    assertThat(report.record()).as("the skip is recorded: " + describe(report)).isNotNull();
    assertThat(report.record().path("status").asText()).isEqualTo("SKIPPED");
    assertThat(report.record().path("skipReason").asText()).isEqualTo(reason);
    assertThat(report.record().path("reason").asText()).as("the reason in words").isNotBlank();
    if (functionName != null) {
      assertThat(report.record().path("target").path("functionName").asText()).isEqualTo(functionName);
    }
    assertValidRecord(report.record());
    assertThat(report.notification()).as("no notification for a skip").isNull();
  }

  // ----------------------------------------------------------------------------------------------------------
  // Failures, retries, timeouts
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(20)
  void execute_whenLambdaServiceErrorOnce_expectationRetriedAndSucceeded() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-retry");
    pipeline.lambda().failNext("fetch-credentials", 1, "ServiceException");

    ExecutionReport report = run(event);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(state(report, "Fetch Credentials").retries()).as(describe(report)).isEqualTo(1);
    assertThat(lambdaErrors(report, "Fetch Credentials")).containsExactly("Lambda.ServiceException");
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.notification()).isNotNull();
  }

  @Test
  @Order(21)
  void execute_whenScannerFails_expectationFailureRecordedAndNotified() {
    ExecutionReport report = scanWith("error", "orders-api-broken");

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCAN_FAILED);
    assertThat(state(report, "Run QScanner").status()).isEqualTo("Caught error");
    assertThat(lambdaErrors(report, "Run QScanner")).as("a terminal error is not retried").containsExactly(TERMINAL);
    assertThat(executionFailure(report).path("error").asText()).isEqualTo("ScanFailed");
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.record().path("target").path("functionName").asText()).isEqualTo("orders-api-broken");
    assertThat(report.record().path("error").isObject()).as("the record keeps the error").isTrue();
    assertValidRecord(report.record());
    assertThat(report.notification()).as("failure notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains("FAILED").contains(executionName(report));
  }

  @Test
  @Order(22)
  void execute_whenScannerConfigError_expectationFailedWithoutRetry() {
    ExecutionReport report = scanWith("config-error", "orders-api-misconfigured");

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCAN_FAILED);
    assertThat(state(report, "Run QScanner").retries()).isZero();
    assertThat(lambdaErrors(report, "Run QScanner")).containsExactly(TERMINAL);
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.notification()).as("failure notification").isNotNull();
  }

  @Test
  @Order(23)
  void execute_whenScannerUploadKeepsFailing_expectationRetriedThenFailed() {
    ExecutionReport report = scanWith("retryable", "orders-api-flaky-upload");

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCAN_FAILED);
    // Exit 33: RetryableException, retried by the ASL (TaskRetryMaxAttempts = 2 locally), then the failure branch.
    assertThat(lambdaErrors(report, "Run QScanner")).containsExactly(RETRYABLE, RETRYABLE, RETRYABLE);
    assertThat(state(report, "Run QScanner").retries()).isEqualTo(2);
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.record().path("error").path("type").asText()).isEqualTo(RETRYABLE);
    assertValidRecord(report.record());
    assertThat(report.notification()).as("failure notification").isNotNull();
  }

  @Test
  @Order(24)
  void execute_whenScannerHangs_expectationScanTimeoutRecordedNotifiedAndNothingLeft() throws Exception {
    Path pids = pipeline.qscanner().resolveSibling("hang.pids");
    Files.deleteIfExists(pids);

    ExecutionReport report = scanWith("hang", "orders-api-hang");

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCAN_TIMED_OUT);
    assertThat(lambdaErrors(report, "Run QScanner")).containsExactly(SCAN_TIMEOUT);
    assertThat(executionFailure(report).path("error").asText()).isEqualTo("ScanTimedOut");
    assertThat(report.record().path("status").asText()).isEqualTo("TIMED_OUT");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("timeout notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains("TIMED_OUT");
    // qscanner and the child it left behind were killed by run-qscanner; its runtime lives on, warm.
    assertThat(hangProcesses(pids)).hasSize(2).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("qscanner process " + pid).isEmpty());
    assertThat(pipeline.lambda().runtimeCount("run-qscanner")).isPositive();
  }

  @Test
  @Order(25)
  void execute_whenFunctionOverrunsTaskTimeout_expectationStatesTimeoutTakesTimeoutBranch() throws Exception {
    Path pids = pipeline.qscanner().resolveSibling("hang.pids");
    Files.deleteIfExists(pids);
    pipeline.scenarios("findings", Map.of("orders-api-overrun", "hang"));
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-overrun");

    ExecutionReport report = leaks.register(pipeline.execute(backstopMachine, event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCAN_TIMED_OUT);
    assertThat(lambdaErrors(report, "Run QScanner")).containsExactly("States.Timeout");
    assertThat(report.record().path("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(report.record().path("error").path("type").asText()).isEqualTo("States.Timeout");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("timeout notification").isNotNull();
    // The function, still running past the Task's timeout, stops qscanner at its own budget: nothing is left.
    Instant giveUp = Instant.now().plusSeconds(60);
    List<Long> scanner = hangProcesses(pids);
    while (Instant.now().isBefore(giveUp) && scanner.stream().anyMatch(p -> ProcessHandle.of(p).isPresent())) {
      Thread.sleep(500);
    }
    assertThat(scanner).hasSize(2).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("qscanner process " + pid).isEmpty());
  }

  @Test
  @Order(26)
  void execute_whenS3UnavailableForAWhile_expectationRetriedAndSucceeded() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-s3-down");
    // The record's PUT (results/...) answers 503 SlowDown six times: the SDK's own retries, then the function's
    // RetryableException, then the ASL's retry.
    pipeline.lambda().failService("s3", "/results/", 6, "SlowDown");
    int before = pipeline.lambda().injectedFaults("s3");

    ExecutionReport report = run(event);

    pipeline.lambda().clearServiceFaults();
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(pipeline.lambda().injectedFaults("s3") - before).as("every fault was met").isEqualTo(6);
    List<String> errors = lambdaErrors(report, "Store Results");
    assertThat(errors).as(describe(report)).isNotEmpty().hasSizeLessThan(6).allMatch(RETRYABLE::equals);
    assertThat(state(report, "Store Results").retries()).isEqualTo(errors.size());
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.notification()).isNotNull();
  }

  @Test
  @Order(27)
  void execute_whenSnsUnavailableForAWhile_expectationRetriedAndNotified() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-sns-down");
    pipeline.lambda().failService("sns", "", 5, "InternalError");
    int before = pipeline.lambda().injectedFaults("sns");

    ExecutionReport report = run(event);

    pipeline.lambda().clearServiceFaults();
    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(pipeline.lambda().injectedFaults("sns") - before).isEqualTo(5);
    List<String> errors = lambdaErrors(report, "Notify");
    assertThat(errors).as(describe(report)).isNotEmpty().hasSizeLessThan(5).allMatch(RETRYABLE::equals);
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.notification()).as("published in the end").isNotNull();
  }

  @Test
  @Order(28)
  void execute_whenSnsFailsForGood_expectationNotificationFailedAndRecordKept() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-sns-gone");
    pipeline.lambda().failService("sns", "", Integer.MAX_VALUE, "Throttling");

    ExecutionReport report;
    try {
      report = run(event);
    } finally {
      pipeline.lambda().clearServiceFaults();
    }

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactlyElementsOf(NOTIFICATION_FAILED);
    assertThat(state(report, "Notify").status()).isEqualTo("Caught error");
    assertThat(lambdaErrors(report, "Notify")).containsExactly(RETRYABLE, RETRYABLE, RETRYABLE);
    assertThat(executionFailure(report).path("error").asText()).isEqualTo("NotificationFailed");
    // The record was stored before Notify, and stays: the scan's result is not lost with the notification.
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(pipeline.resultObjects()).contains(report.recordKey());
    assertThat(report.notification()).as("nothing published").isNull();
  }

  // ----------------------------------------------------------------------------------------------------------
  // Concurrency
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(30)
  void execute_whenTenExecutionsForTheSameCodeAtOnce_expectationExactlyOneScan() {
    JsonNode event = target("eventbridge/update-function-code.json", "orders-api", "orders-api-burst");

    List<String> started = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      started.add(pipeline.start(pipeline.stateMachineArn(), event));
    }
    List<ExecutionReport> reports = started.stream().map(arn -> leaks.register(pipeline.await(arn, LIMIT))).toList();

    assertThat(reports).allSatisfy(r -> assertThat(r.status()).as(describe(r)).isEqualTo("SUCCEEDED"));
    long scans = reports.stream().mapToLong(r -> Paths.invocations(r, "Run QScanner")).sum();
    assertThat(scans).as("Run QScanner in all histories").isEqualTo(1);
    List<ExecutionReport> scanned = reports.stream().filter(r -> r.stateNames().equals(SCANNED)).toList();
    List<ExecutionReport> skipped = reports.stream().filter(r -> r.stateNames().equals(SKIPPED)).toList();
    assertThat(scanned).hasSize(1);
    assertThat(skipped).hasSize(9).allSatisfy(r -> {
      assertThat(r.record().path("status").asText()).isEqualTo("SKIPPED");
      assertThat(r.record().path("skipReason").asText()).isEqualTo("DUPLICATE");
      assertThat(r.notification()).isNull();
    });
    assertThat(scanned.getFirst().notification()).isNotNull();
  }

  // ----------------------------------------------------------------------------------------------------------
  // Secrets: over everything the tests above produced
  // ----------------------------------------------------------------------------------------------------------

  @Test
  @Order(100)
  void artifacts_afterEveryPath_expectationNoTokenCredentialOrPresignedUrlAnywhere() {
    assertThat(leaks.executions()).as("the paths ran first").hasSizeGreaterThan(20);
    // The ECR pull tokens the image scan was given are among the secrets looked for.
    assertThat(pipeline.lambda().registry().issuedPasswords()).as("ECR tokens issued").isNotEmpty()
        .allSatisfy(password -> assertThat(pipeline.secrets()).contains(password));

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("history "))
        .anyMatch(k -> k.startsWith("log "))
        .anyMatch(k -> k.startsWith("s3 results/"))
        .anyMatch(k -> k.startsWith("s3 reports/"))
        .anyMatch(k -> k.startsWith("sns message "));
    // The check can fail: the leak-token scanner did print the token, to its own output only.
    assertThat(checked.keySet().stream().filter(k -> k.startsWith("log ")).toList()).isNotEmpty();
  }

  // ----------------------------------------------------------------------------------------------------------

  /** The sample renamed to its own function, created in moto (its code location registered for the leak check). */
  private static JsonNode target(String sample, String from, String to) {
    JsonNode event = Samples.renamed(sample, from, to);
    pipeline.ensureTarget(event);
    leaks.registerTarget(pipeline.lambdaControl(), to);
    return event;
  }

  private static ExecutionReport scanWith(String scenario, String functionName) {
    pipeline.scenarios("findings", Map.of(functionName, scenario));
    return run(target("eventbridge/update-function-code.json", "orders-api", functionName));
  }

  private static ExecutionReport run(JsonNode event) {
    return leaks.register(pipeline.execute(event, LIMIT));
  }

  private static List<Long> hangProcesses(Path pids) throws Exception {
    Instant giveUp = Instant.now().plusSeconds(5);
    while (!Files.exists(pids) && Instant.now().isBefore(giveUp)) {
      Thread.sleep(100);
    }
    assertThat(pids).as("the hang scenario ran").exists();
    return Arrays.stream(Files.readString(pids).trim().split("\\s+")).map(Long::valueOf).toList();
  }
}
