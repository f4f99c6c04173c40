package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.executionName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing accepted is lost (issue 10 item 8): {@value #DEFAULT_EXECUTIONS} executions at once, each scanning its own
 * function, each with one fault injected at a random state, transient or for good: Lambda service errors,
 * throttles, SnapStart errors and function timeouts of the state's function, S3 and SNS outages for the
 * execution's requests, a scanner that hangs. Every execution must end with its record stored or its failure
 * notified, and the records must add up to the executions started.
 *
 * <p>Seeded: the seed is printed, and {@code -Dfaults.seed=<seed>} replays the same faults on the same executions
 * ({@code -Dfaults.executions=<n>} runs more). The faults are keyed to each execution's target (its name is in
 * every payload and in the body of its S3 writes and SNS publishes), so concurrency does not move them.
 */
class FaultInjectionIT {

  private static final int DEFAULT_EXECUTIONS = 50;
  private static final Duration LIMIT = Duration.ofMinutes(10);
  private static final List<String> FUNCTIONS = PipelineSettings.FUNCTIONS.stream().map(PipelineSettings.Function::name)
      .toList();

  /** What is injected, and whether the state machine is to absorb it (the retries cover it) or end FAILED. */
  enum Kind { NONE, LAMBDA_SERVICE_ERROR, THROTTLE, SNAPSTART, FUNCTION_TIMEOUT, S3_OUTAGE, SNS_OUTAGE, SCANNER_HANG }

  /**
   * One execution's fault.
   *
   * @param kind what
   * @param function the function whose invocations fail (Lambda kinds), else null
   * @param errorCode the Lambda error (Lambda kinds), else null
   * @param times how many matching calls fail; {@link Integer#MAX_VALUE}: for good
   */
  record Fault(Kind kind, String function, String errorCode, int times) {

    boolean absorbed() {
      return switch (kind) {
        case NONE -> true;
        case FUNCTION_TIMEOUT, SCANNER_HANG -> false;
        default -> times != Integer.MAX_VALUE;
      };
    }

    @Override
    public String toString() {
      return kind + (function == null ? "" : " " + function) + (errorCode == null ? "" : " " + errorCode)
          + (times == Integer.MAX_VALUE ? " for good" : " x" + times);
    }
  }

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults().withMaxConcurrency(4));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;

  @Test
  void execute_whenFaultsInjectedAtRandomStates_expectationEveryExecutionRecordedOrNotifiedAndCountsAddUp() {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    int executions = Integer.getInteger("faults.executions", DEFAULT_EXECUTIONS);
    String replay = "replay with -Dfaults.seed=" + seed;
    System.out.println("FaultInjectionIT: " + executions + " executions, seed " + seed + " (" + replay + ")");
    Map<String, Fault> faults = plan(new Random(seed), executions);
    Map<String, String> hangs = new HashMap<>();
    Map<String, JsonNode> events = new HashMap<>();
    faults.forEach((target, fault) -> {
      JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", target);
      pipeline.ensureTarget(event);
      leaks.registerTarget(pipeline.lambdaControl(), target);
      events.put(target, event);
      inject(target, fault, hangs);
    });
    pipeline.scenarios("findings", hangs);

    Map<String, String> started = new HashMap<>();
    events.forEach((target, event) -> started.put(target, pipeline.start(pipeline.stateMachineArn(), event)));
    Map<String, ExecutionReport> reports = new HashMap<>();
    started.forEach((target, arn) -> reports.put(target, leaks.register(pipeline.await(arn, LIMIT))));

    int recorded = 0;
    int notifiedOnly = 0;
    for (Map.Entry<String, ExecutionReport> entry : reports.entrySet()) {
      Fault fault = faults.get(entry.getKey());
      ExecutionReport report = entry.getValue();
      String about = fault + " on " + entry.getKey() + ", " + replay + ": " + describe(report);
      assertThat(report.status()).as(about).isEqualTo(fault.absorbed() ? "SUCCEEDED" : "FAILED");
      boolean notifiedFailure = report.notification() != null
          && report.notification().path("Message").asText().matches("(?s).*(FAILED|TIMED_OUT).*");
      assertThat(report.record() != null || notifiedFailure).as("recorded or notified: " + about).isTrue();
      if (report.succeeded()) {
        assertThat(report.record().path("status").asText()).as(about).isEqualTo("SUCCEEDED");
        assertThat(report.notification()).as(about).isNotNull();
      }
      if (report.record() != null) {
        recorded++;
      } else {
        notifiedOnly++;
      }
    }
    Set<String> scanIds = reports.values().stream().map(Paths::executionName).collect(Collectors.toSet());
    List<String> records = pipeline.resultObjects().stream().filter(k -> k.startsWith("results/"))
        .filter(k -> scanIds.contains(k.substring(k.lastIndexOf('/') + 1).replace(".json", ""))).toList();
    assertThat(records).as("one record per recorded execution, " + replay).hasSize(recorded)
        .doesNotHaveDuplicates();
    assertThat(recorded + notifiedOnly).as("records + notified failures = executions started").isEqualTo(executions);
    assertThat(faults.values().stream().map(Fault::kind).collect(Collectors.toSet()))
        .as("every kind of fault was injected").containsAll(List.of(Kind.values()));
    System.out.printf("FaultInjectionIT: %d executions, %d recorded, %d failures notified without a record, "
        + "%d succeeded; seed %d%n", executions, recorded, notifiedOnly,
        reports.values().stream().filter(ExecutionReport::succeeded).count(), seed);

    leaks.assertNoSecretAnywhere();
  }

  /** One fault per execution: every kind in turn (so each appears), shuffled, at a random state, random severity. */
  static Map<String, Fault> plan(Random random, int executions) {
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < executions; i++) {
      kinds.add(Kind.values()[i % Kind.values().length]);
    }
    Collections.shuffle(kinds, random);
    Map<String, Fault> plan = new java.util.LinkedHashMap<>();
    for (int i = 0; i < executions; i++) {
      boolean forGood = random.nextBoolean();
      String function = FUNCTIONS.get(random.nextInt(FUNCTIONS.size()));
      Fault fault = switch (kinds.get(i)) {
        case NONE -> new Fault(Kind.NONE, null, null, 0);
        // LambdaRetryMaxAttempts (3 locally) retries absorb up to 3.
        case LAMBDA_SERVICE_ERROR -> new Fault(Kind.LAMBDA_SERVICE_ERROR, function,
            List.of("ServiceException", "AWSLambdaException").get(random.nextInt(2)),
            forGood ? Integer.MAX_VALUE : 1 + random.nextInt(3));
        case THROTTLE -> new Fault(Kind.THROTTLE, function, "TooManyRequestsException",
            forGood ? Integer.MAX_VALUE : 1 + random.nextInt(5));
        case SNAPSTART -> new Fault(Kind.SNAPSTART, function,
            List.of("SnapStartNotReadyException", "SnapStartTimeoutException", "SnapStartException")
                .get(random.nextInt(3)),
            forGood ? Integer.MAX_VALUE : 1 + random.nextInt(3));
        case FUNCTION_TIMEOUT -> new Fault(Kind.FUNCTION_TIMEOUT, function, "Sandbox.Timedout",
            forGood ? Integer.MAX_VALUE : 1);
        // The SDK's own retries (3 attempts) absorb 2.
        case S3_OUTAGE -> new Fault(Kind.S3_OUTAGE, null, null, forGood ? Integer.MAX_VALUE : 2);
        case SNS_OUTAGE -> new Fault(Kind.SNS_OUTAGE, null, null, forGood ? Integer.MAX_VALUE : 2);
        case SCANNER_HANG -> new Fault(Kind.SCANNER_HANG, "run-qscanner", null, 1);
      };
      plan.put("faulty-" + i + "-fn", fault);
    }
    return plan;
  }

  private static void inject(String target, Fault fault, Map<String, String> hangs) {
    switch (fault.kind()) {
      case NONE -> { }
      case LAMBDA_SERVICE_ERROR, THROTTLE, SNAPSTART, FUNCTION_TIMEOUT ->
          pipeline.lambda().failNext(fault.function(), target, fault.times(), fault.errorCode());
      case S3_OUTAGE -> pipeline.lambda().failServiceFor("s3", target, fault.times());
      case SNS_OUTAGE -> pipeline.lambda().failServiceFor("sns", target, fault.times());
      case SCANNER_HANG -> hangs.put(target, "hang");
    }
  }
}
