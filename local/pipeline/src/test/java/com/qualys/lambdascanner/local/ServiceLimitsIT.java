package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.executionName;
import static com.qualys.lambdascanner.local.Paths.lambdaErrors;
import static com.qualys.lambdascanner.local.Paths.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.SnapStartException;
import software.amazon.awssdk.services.lambda.model.SnapStartNotReadyException;
import software.amazon.awssdk.services.lambda.model.SnapStartTimeoutException;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * What the Lambda service answers under load or after a quiet spell, end to end: SnapStart versions that are not
 * ready (issue 10 item 1) and a burst over Run QScanner's reserved concurrency (item 2). The emulator answers as
 * Lambda does (status, x-amzn-ErrorType, body); the first test shows the AWS SDK reads those answers as Lambda's own
 * exceptions, the others that the state machine's retries turn them into records and notifications.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceLimitsIT {

  private static final Duration LIMIT = Duration.ofMinutes(10);
  private static final int BURST = 20;
  private static final int SCAN_CONCURRENCY = 2;

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults().withMaxConcurrency(3));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;

  @Test
  @Order(1)
  void invoke_whenServiceRefuses_expectationSdkRaisesLambdasOwnExceptions() {
    try (LambdaClient client = LambdaClient.builder()
        .endpointOverride(pipeline.lambda().endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build()) {
      pipeline.lambda().failNext("notify", 1, "SnapStartNotReadyException");
      pipeline.lambda().failNext("notify", 1, "SnapStartTimeoutException");
      pipeline.lambda().failNext("notify", 1, "SnapStartException");

      assertThat(statusOf(client, SnapStartNotReadyException.class)).isEqualTo(409);
      assertThat(statusOf(client, SnapStartTimeoutException.class)).isEqualTo(408);
      assertThat(statusOf(client, SnapStartException.class)).isEqualTo(400);

      pipeline.lambda().reserveConcurrency("notify", 0);
      TooManyRequestsException throttled = catchThrowableOfType(TooManyRequestsException.class,
          () -> client.invoke(b -> b.functionName("notify").payload(SdkBytes.fromUtf8String("{}"))));
      pipeline.lambda().reserveConcurrency("notify", Integer.MAX_VALUE); // no cap again, for the tests below

      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.reason()).isEqualTo(ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
      assertThat(pipeline.lambda().throttles("notify")).isEqualTo(1);
    }
  }

  private static int statusOf(LambdaClient client, Class<? extends LambdaException> type) {
    LambdaException error = catchThrowableOfType(type,
        () -> client.invoke(b -> b.functionName("notify").payload(SdkBytes.fromUtf8String("{}"))));
    assertThat(error).as(type.getSimpleName()).isNotNull();
    return error.statusCode();
  }

  @Test
  @Order(2)
  void execute_whenEveryFunctionsSnapStartVersionIsNotReadyAtFirst_expectationScannedStoredAndNotified() {
    String name = "orders-api-quiet-account";
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", name);
    pipeline.ensureTarget(event);
    leaks.registerTarget(pipeline.lambdaControl(), name);
    // A quiet account: no version of the five was invoked for 14 days. Each answers SnapStart errors to the first
    // two invocations of this execution, the three kinds Lambda has, until its snapshot is Active again.
    Map<String, String> errors = Map.of(
        "resolve-target", "SnapStartNotReadyException",
        "fetch-credentials", "SnapStartTimeoutException",
        "run-qscanner", "SnapStartException",
        "store-results", "SnapStartNotReadyException",
        "notify", "SnapStartNotReadyException");
    errors.forEach((function, error) -> pipeline.lambda().failNext(function, name, 2, error));

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    Map<String, String> functionOf = Map.of("Resolve Target", "resolve-target", "Fetch Credentials",
        "fetch-credentials", "Run QScanner", "run-qscanner", "Store Results", "store-results", "Notify", "notify");
    functionOf.forEach((stateName, function) -> {
      String expected = "Lambda." + errors.get(function);
      assertThat(lambdaErrors(report, stateName)).as(stateName).containsExactly(expected, expected);
      assertThat(state(report, stateName).retries()).as(stateName).isEqualTo(2);
    });
    assertThat(report.record()).as("the record is stored").isNotNull();
    assertThat(report.record().path("status").asText()).isEqualTo("SUCCEEDED");
    assertValidRecord(report.record());
    assertThat(report.notification()).as("the notification is sent").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(executionName(report));
  }

  @Test
  @Order(3)
  void execute_whenTwentyFunctionsChangeAtOnceAndTwoScansMayRun_expectationAllScannedNothingLost() {
    String machine = Burst.stateMachine(pipeline);
    List<JsonNode> events = Burst.targets(pipeline, "burst-fn", BURST);
    for (int i = 1; i <= BURST; i++) {
      leaks.registerTarget(pipeline.lambdaControl(), "burst-fn-" + i);
    }

    Burst.Result burst = Burst.run(pipeline, machine, events, SCAN_CONCURRENCY, LIMIT);

    burst.reports().forEach(leaks::register);
    assertThat(burst.reports()).hasSize(BURST).allSatisfy(r -> {
      assertThat(r.status()).as(describe(r)).isEqualTo("SUCCEEDED");
      assertThat(r.stateNames()).containsExactlyElementsOf(SCANNED);
      assertThat(r.record().path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(r.notification()).as("notification of " + r.executionArn()).isNotNull();
      assertThat(lambdaErrors(r, "Run QScanner")).allMatch("Lambda.TooManyRequestsException"::equals);
    });
    assertThat(burst.throttles()).as("the cap of %d refused invocations", SCAN_CONCURRENCY).isPositive();
    assertThat(burst.reports().stream().mapToLong(r -> lambdaErrors(r, "Run QScanner").size()).sum())
        .as("every refusal was retried by a state").isEqualTo(burst.throttles());
    Set<String> functions = burst.reports().stream()
        .map(r -> r.record().path("target").path("functionName").asText()).collect(Collectors.toSet());
    assertThat(functions).hasSize(BURST);
    Set<String> scanIds = burst.reports().stream().map(Paths::executionName).collect(Collectors.toSet());
    assertThat(pipeline.resultObjects().stream().filter(k -> k.startsWith("results/"))
        .filter(k -> scanIds.stream().anyMatch(id -> k.endsWith(id + ".json")))).as("one record each").hasSize(BURST);
    System.out.printf("burst of %d over %d scan slots drained in %d s, %d throttled invocations retried%n",
        BURST, SCAN_CONCURRENCY, burst.drained().toSeconds(), burst.throttles());
  }

  @Test
  @Order(100)
  void artifacts_afterSnapStartErrorsAndBurst_expectationNoSecretAnywhere() {
    assertThat(leaks.executions()).hasSizeGreaterThan(BURST);

    leaks.assertNoSecretAnywhere();
  }
}
