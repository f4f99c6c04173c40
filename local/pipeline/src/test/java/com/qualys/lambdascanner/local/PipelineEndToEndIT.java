package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real state machine (moto's ASL interpreter) running the five real function packages (LocalLambda, through the
 * AWS Lambda Runtime Interface Client), on a Zip target created from the samples. Each test scans its own function,
 * so dedup claims of one do not skip another.
 */
class PipelineEndToEndIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static LocalPipeline pipeline;

  @BeforeAll
  static void start() {
    pipeline = LocalPipeline.start(Samples.projectRoot(), LocalPipeline.DEFAULT_ACCOUNT, LocalPipeline.DEFAULT_REGION,
        "findings");
  }

  @AfterAll
  static void stop() {
    if (pipeline == null) {
      return;
    }
    List<Long> runtimes = LocalPipeline.FUNCTIONS.stream()
        .flatMap(f -> pipeline.lambda().runtimePids(f.name()).stream()).toList();
    pipeline.close();
    // Every runtime (and the scanners they started) stops with the pipeline.
    assertThat(runtimes).isNotEmpty().allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("runtime " + pid).isEmpty());
  }

  @Test
  void execute_whenZipFunctionCodeUpdated_expectationScannedStoredAndNotified() throws Exception {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-e2e");
    pipeline.ensureTarget(event);

    ExecutionReport report = pipeline.execute(event, LIMIT);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactly("Resolve Target", "Scan or Skip?", "Fetch Credentials",
        "Run QScanner", "Store Results", "Notify", "Scan Complete");
    assertThat(report.states()).allSatisfy(s -> assertThat(s.status()).isEqualTo("Succeeded"));
    // The result record in S3.
    assertThat(report.recordBucket()).isEqualTo(pipeline.bucket());
    assertThat(report.recordKey()).startsWith("results/account=123456789012/region=us-east-1/date=")
        .endsWith(executionName(report) + ".json");
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("target").path("functionName").asText()).isEqualTo("orders-api-e2e");
    assertThat(record.path("target").path("packageType").asText()).isEqualTo("Zip");
    assertThat(record.path("counts").path("urgent").asInt()).isEqualTo(1);
    assertThat(record.path("counts").path("critical").asInt()).isEqualTo(1);
    assertThat(record.path("reportKeys")).isNotEmpty();
    // The notification, read back from the SQS queue subscribed to the topic.
    assertThat(report.notification()).as("SNS message").isNotNull();
    assertThat(report.notification().path("TopicArn").asText()).isEqualTo(pipeline.topicArn());
    assertThat(report.notification().path("Subject").asText()).contains("orders-api-e2e");
    assertThat(report.notification().path("Message").asText()).contains(executionName(report));
    // Nothing secret in the execution history: not the token, no presigned URL.
    String history = report.history().toString();
    String codeLocation = pipeline.lambdaControl().getFunction(b -> b.functionName("orders-api-e2e"))
        .code().location();
    assertThat(history).doesNotContain(pipeline.token()).doesNotContain("X-Amz-").doesNotContain("Signature=");
    if (codeLocation != null && !codeLocation.isBlank()) {
      assertThat(history).doesNotContain(codeLocation);
    }
    assertThat(report.history().size()).as("all the history, not a first page").isGreaterThan(20);
  }

  @Test
  void execute_whenScannerFails_expectationFailureRecordedAndNotified() {
    pipeline.scenarios("findings", Map.of("orders-api-broken", "error"));
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-broken");
    pipeline.ensureTarget(event);

    ExecutionReport report = pipeline.execute(event, LIMIT);

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactly("Resolve Target", "Scan or Skip?", "Fetch Credentials",
        "Run QScanner", "Record Failure", "Notify Failure", "Scan Failed");
    assertThat(state(report, "Run QScanner").status()).isEqualTo("Caught error");
    assertThat(state(report, "Scan Failed").status()).isEqualTo("Failed");
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.record().path("target").path("functionName").asText()).isEqualTo("orders-api-broken");
    assertThat(report.record().path("error").isNull()).as("the record keeps the error").isFalse();
    assertThat(report.notification()).as("failure notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains("FAILED").contains(executionName(report));
    assertThat(report.history().toString()).doesNotContain(pipeline.token());
  }

  @Test
  void execute_whenLambdaServiceErrorOnce_expectationRetriedAndSucceeded() {
    pipeline.lambda().failNext("fetch-credentials", 1, "ServiceException");
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-retry");
    pipeline.ensureTarget(event);

    ExecutionReport report = pipeline.execute(event, LIMIT);

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    ExecutionReport.StateRun fetch = state(report, "Fetch Credentials");
    assertThat(fetch.retries()).as(describe(report)).isEqualTo(1);
    assertThat(fetch.status()).isEqualTo("Succeeded");
    assertThat(report.history().stream().filter(e -> e.path("type").asText().equals("LambdaFunctionFailed"))
        .map(e -> e.path("lambdaFunctionFailedEventDetails").path("error").asText()).toList())
        .containsExactly("Lambda.ServiceException");
  }

  @Test
  void logs_afterExecutions_expectationNoTokenInAnyFunctionLog() throws Exception {
    execute_whenZipFunctionCodeUpdated_expectationScannedStoredAndNotifiedOnce();
    for (LocalPipeline.Function function : LocalPipeline.FUNCTIONS) {
      var log = pipeline.lambda().logFile(function.name());
      if (Files.exists(log)) {
        assertThat(Files.readString(log)).as(function.name()).doesNotContain(pipeline.token());
      }
    }
  }

  private static void execute_whenZipFunctionCodeUpdated_expectationScannedStoredAndNotifiedOnce() {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-logs");
    pipeline.ensureTarget(event);
    assertThat(pipeline.execute(event, LIMIT).status()).isEqualTo("SUCCEEDED");
  }

  private static ExecutionReport.StateRun state(ExecutionReport report, String name) {
    return report.states().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError(name + " not visited: " + describe(report)));
  }

  private static String executionName(ExecutionReport report) {
    return report.executionArn().substring(report.executionArn().lastIndexOf(':') + 1);
  }

  private static String describe(ExecutionReport report) {
    List<String> states = report.states().stream()
        .map(s -> s.name() + "=" + s.status() + (s.error() == null ? "" : "(" + s.error() + ")") + " retries="
            + s.retries())
        .toList();
    return report.status() + " " + states + " history: " + report.history();
  }
}
