package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deploy that touches many functions at once, on the local pipeline: {@code n} functions changed, {@code n}
 * executions started together, Run QScanner capped at {@code scanConcurrency} (its reserved concurrency: the
 * emulator answers 429 over the cap, as Lambda does). ServiceLimitsIT asserts what it leaves; BurstBenchmark times it.
 */
final class Burst {

  /**
   * The state machine a burst runs on: the pipeline's ASL with a throttle retry budget long enough for the local
   * burst (200 waits of up to 4 s: about 400 s on average, where 20 scans over 2 slots take a minute or two).
   */
  static final Map<String, String> SUBSTITUTIONS = Map.of(
      "ThrottleRetryMaxAttempts", "200",
      "ExecutionTimeoutSeconds", "1800");

  /**
   * What a burst left.
   *
   * @param reports one per execution, in the order they were started
   * @param drained the longest execution (they start within a moment of each other)
   * @param throttles invocations of Run QScanner the cap refused
   */
  record Result(List<ExecutionReport> reports, Duration drained, int throttles) {}

  private Burst() {}

  static String stateMachine(LocalPipeline pipeline) {
    return pipeline.createStateMachine("qualys-lambda-scanner-burst", SUBSTITUTIONS);
  }

  /** The n changed functions ({@code prefix}-1 ... -n), created in moto: the events their deploy would send. */
  static List<JsonNode> targets(LocalPipeline pipeline, String prefix, int n) {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", prefix + "-" + i);
      pipeline.ensureTarget(event);
      events.add(event);
    }
    return events;
  }

  static Result run(LocalPipeline pipeline, String machineArn, List<JsonNode> events, int scanConcurrency,
      Duration limit) {
    pipeline.lambda().reserveConcurrency("run-qscanner", scanConcurrency);
    int throttlesBefore = pipeline.lambda().throttles("run-qscanner");
    List<String> executions = events.stream().map(e -> pipeline.start(machineArn, e)).toList();
    List<ExecutionReport> reports = executions.stream().map(arn -> pipeline.await(arn, limit)).toList();
    // Started within a moment of each other: the longest execution is the time the burst took to drain.
    Duration drained = reports.stream().map(ExecutionReport::duration).max(Duration::compareTo).orElse(Duration.ZERO);
    return new Result(reports, drained,
        pipeline.lambda().throttles("run-qscanner") - throttlesBefore);
  }
}
