package com.qualys.lambdascanner.local;

import java.time.Duration;

/**
 * How long a burst takes to drain on the local pipeline: n functions changed at once, Run QScanner capped at c
 * concurrent invocations (the emulator answers 429 over the cap, as Lambda does for reserved concurrency), the state
 * machine's throttle retries with the local numbers. Prints the drain time, the throttled invocations and how the
 * executions ended. It measures; ServiceLimitsIT asserts.
 *
 * <p>{@code make bench-burst BENCH_BURST_N=20 BENCH_BURST_CONCURRENCY=2} runs it.
 */
public final class BurstBenchmark {

  private BurstBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    try (LocalPipeline pipeline = LocalPipeline.start(Samples.projectRoot(), PipelineSettings.DEFAULT_ACCOUNT,
        PipelineSettings.DEFAULT_REGION, "clean", PipelineSettings.Options.defaults().withMaxConcurrency(concurrency))) {
      String machine = Burst.stateMachine(pipeline);
      Burst.Result burst = Burst.run(pipeline, machine, Burst.targets(pipeline, "bench-burst", n), concurrency,
          Duration.ofHours(1));
      long succeeded = burst.reports().stream().filter(ExecutionReport::succeeded).count();
      long recorded = burst.reports().stream().filter(r -> r.record() != null).count();
      System.out.printf("burst of %d scans over %d slots: drained in %.1f s (%.1f s per scan), %d invocations "
          + "throttled and retried; %d succeeded, %d recorded%n", n, concurrency, burst.drained().toMillis() / 1000.0,
          burst.drained().toMillis() / 1000.0 / n, burst.throttles(), succeeded, recorded);
    }
  }
}
