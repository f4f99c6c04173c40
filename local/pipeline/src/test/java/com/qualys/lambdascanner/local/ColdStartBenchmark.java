package com.qualys.lambdascanner.local;

import com.qualys.lambdascanner.emulator.InvokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold start of each function, measured the way Lambda reports it, on the local emulator: the built package alone,
 * in a fresh JVM under the AWS Lambda Java Runtime Interface Client, against moto. For each function and round:
 * <ul>
 *   <li>init: from starting the JVM to the runtime asking for its first event (class loading, the Dagger graph,
 *       the SDK clients): Lambda's "Init Duration", the part SnapStart replaces with a snapshot restore;
 *   <li>first: the first invocation in that JVM (the code paths a request touches load and run cold);
 *   <li>warm: a second invocation of the same input.
 * </ul>
 * Prints the median of each, and the package size. Figures on a laptop or this project's 2-core machines are not
 * Lambda's (a function's CPU share grows with its memory size), but they compare builds with each other.
 *
 * <p>{@code make bench-cold-start} runs it; the argument is the number of rounds (default 5).
 */
public final class ColdStartBenchmark {

  private ColdStartBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Samples.projectRoot();
    try (LocalPipeline pipeline = LocalPipeline.start(root, LocalPipeline.DEFAULT_ACCOUNT,
        LocalPipeline.DEFAULT_REGION, "clean")) {
      Map<String, String> inputs = inputs(pipeline);
      System.out.printf("%-18s %9s %8s %8s %8s%n", "function", "package", "init", "first", "warm");
      for (LocalPipeline.Function function : LocalPipeline.FUNCTIONS) {
        String name = function.name();
        String payload = inputs.get(name);
        List<Long> init = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          pipeline.recycle(name);
          long started = System.nanoTime();
          pipeline.lambda().warm(name);
          init.add(millisSince(started));
          first.add(timed(pipeline, name, payload));
          warm.add(timed(pipeline, name, payload));
        }
        System.out.printf("%-18s %6d KiB %6d ms %5d ms %5d ms%n", name, size(function.zip(root)) / 1024,
            median(init), median(first), median(warm));
      }
      System.out.printf("medians of %d rounds; init = JVM start to the first /next, first and warm = invocations%n",
          rounds);
    }
  }

  /** One sample of events/ per function, pointed at this run's secret. */
  private static Map<String, String> inputs(LocalPipeline pipeline) {
    Map<String, String> files = Map.of(
        "resolve-target", "direct/scan-function.json",
        "fetch-credentials", "fetch-credentials/request.json",
        "run-qscanner", "run-qscanner/request.json",
        "store-results", "store-results/scanned.json",
        "notify", "notify/scanned.json");
    Map<String, String> inputs = new java.util.HashMap<>();
    files.forEach((function, file) -> inputs.put(function, Samples.text(Samples.events().resolve(file))
        .replace(Samples.EXAMPLE_SECRET_ARN, pipeline.secretArn())
        .replace("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", pipeline.secretVersionId())));
    pipeline.ensureTarget(Samples.json(inputs.get("resolve-target")));
    return inputs;
  }

  private static long timed(LocalPipeline pipeline, String function, String payload) {
    long started = System.nanoTime();
    InvokeResult result = pipeline.lambda().invoke(function, payload);
    long millis = millisSince(started);
    if (!result.succeeded()) {
      throw new IllegalStateException(function + " failed: " + result);
    }
    return millis;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
