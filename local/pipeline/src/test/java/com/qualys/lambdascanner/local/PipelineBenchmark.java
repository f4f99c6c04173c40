package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's own overhead, on the emulator with the stand-in scanner (a scan of a few tens of milliseconds): N
 * executions of a forced direct scan request, each measured from its history, as
 * <ul>
 *   <li>overhead: from the execution's start to the end of Store Results (the record is stored), minus the time
 *       qscanner ran (the record's {@code timings.durationMs}, measured by run-qscanner around the process): what
 *       the five functions, the state machine and the service calls add to a scan;
 *   <li>state transitions per scan: the history's state entries, what a Standard workflow bills.
 * </ul>
 * Cold: every function's runtimes are stopped before each execution, so each task starts a fresh JVM as an
 * on-demand cold start (SnapStart functions included: locally their init runs priming, it is not a restore). Warm:
 * the executions after, on the runtimes left running. Prints medians. A benchmark, not a test: it asserts nothing.
 *
 * <p>{@code make bench-pipeline} runs it; the argument is N (default 5).
 */
public final class PipelineBenchmark {

  private static final Duration LIMIT = Duration.ofMinutes(5);

  private PipelineBenchmark() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (LocalPipeline pipeline = LocalPipeline.start(Samples.projectRoot(), PipelineSettings.DEFAULT_ACCOUNT,
        PipelineSettings.DEFAULT_REGION, "clean")) {
      ObjectNode event = (ObjectNode) Samples.json(Samples.text(Samples.events().resolve("direct/scan-function.json")));
      // Every execution scans: a forced request is never a DUPLICATE skip.
      event.put("force", true);
      pipeline.ensureTarget(event);
      List<Run> cold = new ArrayList<>();
      List<Run> warm = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        PipelineSettings.FUNCTIONS.forEach(function -> pipeline.recycle(function.name()));
        cold.add(measure(pipeline, event));
      }
      for (int i = 0; i < runs; i++) {
        warm.add(measure(pipeline, event));
      }
      System.out.printf("%-5s %9s %9s %9s %12s%n", "", "overhead", "scanner", "total", "transitions");
      print("cold", cold);
      print("warm", warm);
      System.out.printf("medians of %d executions each; overhead = execution start to the stored record, minus the"
          + " scanner's own time%n", runs);
    }
  }

  private record Run(long overheadMs, long scannerMs, long totalMs, int transitions) {}

  private static Run measure(LocalPipeline pipeline, JsonNode event) {
    ExecutionReport report = pipeline.execute(event, LIMIT);
    if (!report.succeeded() || report.record() == null) {
      throw new IllegalStateException("execution did not store a scanned record: " + report.status());
    }
    Instant started = null;
    Instant stored = null;
    int transitions = 0;
    for (JsonNode entry : report.history()) {
      String type = entry.path("type").asText();
      Instant at = Instant.parse(entry.path("timestamp").asText());
      if (type.equals("ExecutionStarted")) {
        started = at;
      } else if (type.endsWith("StateEntered")) {
        transitions++;
      } else if (type.equals("TaskStateExited")
          && entry.path("stateExitedEventDetails").path("name").asText().equals("Store Results")) {
        stored = at;
      }
    }
    if (started == null || stored == null) {
      throw new IllegalStateException("no Store Results in the history of " + report.executionArn());
    }
    long total = Duration.between(started, stored).toMillis();
    long scanner = report.record().path("timings").path("durationMs").asLong();
    return new Run(total - scanner, scanner, total, transitions);
  }

  private static void print(String label, List<Run> runs) {
    System.out.printf("%-5s %6d ms %6d ms %6d ms %12d%n", label,
        median(runs.stream().map(Run::overheadMs).toList()), median(runs.stream().map(Run::scannerMs).toList()),
        median(runs.stream().map(Run::totalMs).toList()),
        median(runs.stream().map(r -> (long) r.transitions()).toList()));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
