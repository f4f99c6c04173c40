package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet workflow's throughput on the local emulator: a generated fleet of {@code N} functions (default 300) in
 * the hub and one spoke account, two regions each, one fleet run; prints functions per minute (of the fleet
 * execution's own duration) and the state transitions per function, counted as Step Functions bills them: every
 * state entered, in the fleet execution and in every scan execution it started. Figures on this project's 2-core
 * machines are the emulator's, not AWS's (there the scans run in parallel up to FleetMaxConcurrency on Lambda's own
 * CPUs); they compare builds with each other. No test asserts them.
 *
 * <p>{@code make bench-fleet} runs it; arguments: functions (default 300), FleetMaxConcurrency (default 8).
 */
public final class FleetBenchmark {

  private FleetBenchmark() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String concurrency = args.length > 1 ? args[1] : "8";
    try (LocalPipeline pipeline = LocalPipeline.start(Samples.projectRoot(), PipelineSettings.DEFAULT_ACCOUNT,
        PipelineSettings.DEFAULT_REGION, "clean", PipelineSettings.Options.defaults()
            .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
            .withMaxConcurrency(3))) {
      long seeding = System.nanoTime();
      LocalFleet fleet = LocalFleet.start(pipeline, fleet(count), "P7D", Map.of("FleetMaxConcurrency", concurrency));
      System.out.printf("seeded %d functions in %.1f s%n", count, (System.nanoTime() - seeding) / 1e9);
      List<String> before = pipeline.executions();
      LocalFleet.FleetReport report = fleet.run(java.time.Duration.ofHours(2));
      long transitions = entered(report.history());
      int scanExecutions = 0;
      for (String arn : pipeline.executions()) {
        if (!before.contains(arn) && !arn.equals(report.executionArn())) {
          transitions += entered(pipeline.history(arn));
          scanExecutions++;
        }
      }
      double minutes = report.duration().toMillis() / 60_000.0;
      JsonNode summary = report.summary();
      System.out.printf("fleet run %s in %.1f s: %d functions, %d scans, %d scan executions, coverage %s%%%n",
          report.status(), report.duration().toMillis() / 1000.0, count, report.scans(), scanExecutions,
          summary == null ? "-" : summary.path("coveragePercent").asText());
      System.out.printf("%.1f functions per minute (FleetMaxConcurrency %s, 3 runtimes per function)%n",
          count / minutes, concurrency);
      System.out.printf("%.1f state transitions per function (%d in all, fleet and scan executions)%n",
          (double) transitions / count, transitions);
    }
  }

  /** Half in the hub, half in the spoke, split over two regions; all eligible. */
  static FleetSpec fleet(int count) {
    List<FleetSpec.Account> accounts = new ArrayList<>();
    for (String account : List.of(PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.SPOKE_ACCOUNT)) {
      List<FleetSpec.Function> functions = new ArrayList<>();
      int own = account.equals(PipelineSettings.DEFAULT_ACCOUNT) ? (count + 1) / 2 : count / 2;
      for (int i = 0; i < own; i++) {
        functions.add(new FleetSpec.Function("bench-" + account.substring(0, 3) + "-" + i,
            i % 2 == 0 ? "us-east-1" : "eu-west-1", "Zip", Map.of(), List.of()));
      }
      accounts.add(new FleetSpec.Account(account, List.of("us-east-1", "eu-west-1"), true, functions));
    }
    return new FleetSpec(accounts);
  }

  /** Every state entered: what Standard workflows bill as a transition (retries included). */
  private static long entered(List<JsonNode> history) {
    return history.stream().filter(e -> e.path("type").asText().endsWith("StateEntered")).count();
  }
}
