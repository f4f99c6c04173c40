package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code make local MODE=fleet [FLEET=<file>] [FORMAT=json]}: seeds a fleet (default events/fleet/fleet.json) and runs
 * the fleet workflow end to end; prints the run as the console shows it and the coverage summary, or with
 * {@code FORMAT=json} one object with {@code status}, {@code coverage} (summary, scopes, functions) and {@code scans}
 * (Run QScanner invocations). The run's page and coverage file are copied to {@code target/local/fleet-report.html}
 * and {@code target/local/fleet-coverage.json}. Exit status 0 when the fleet execution succeeded, 1 when not, 2 when the run could not
 * happen.
 */
final class FleetRun {

  static final String DEFAULT_FLEET = "events/fleet/fleet.json";
  /** Where the run's page (coverage/latest.html) and coverage file are copied, under the project root. */
  static final String REPORT_DIR = "target/local";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FleetRun() {}

  static int run(Path root, String fleetSetting, String scenario, boolean json, PrintStream out, PrintStream err) {
    FleetSpec spec;
    try {
      spec = FleetSpec.parse(JSON.readTree(Files.readString(root.resolve(fleetSetting))));
    } catch (IOException | IllegalArgumentException e) {
      err.println("cannot read FLEET=" + fleetSetting + ": " + e.getMessage());
      return 2;
    }
    PipelineSettings.Options options = PipelineSettings.Options.defaults()
        .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
        .withMaxConcurrency(3);
    long started = System.nanoTime();
    AtomicReference<LocalPipeline> running = new AtomicReference<>();
    Thread cleanup = new Thread(() -> {
      LocalPipeline pipeline = running.getAndSet(null);
      if (pipeline != null) {
        pipeline.close();
      }
    });
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      if (!json) {
        out.println("Starting moto, the five functions and the two fleet functions (hub " + PipelineSettings.DEFAULT_ACCOUNT
            + "/" + PipelineSettings.DEFAULT_REGION + "); seeding " + spec.functionCount() + " functions in "
            + spec.accounts().size() + " accounts from " + fleetSetting + "...");
      }
      LocalPipeline pipeline = LocalPipeline.start(root, PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION,
          scenario, options);
      running.set(pipeline);
      LocalFleet fleet = LocalFleet.start(pipeline, spec, "P7D", Map.of());
      LocalFleet.FleetReport report = fleet.run(Duration.ofMinutes(20));
      Path page = keepReport(root, pipeline, report);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (json) {
        ObjectNode result = toJson(report, fleetSetting, seconds);
        result.put("report", page == null ? null : page.toString());
        out.println(JSON.writeValueAsString(result));
      } else {
        printText(out, report, pipeline, fleetSetting, seconds);
        out.println("Report         " + (page == null ? "(none stored)" : page.toUri()));
      }
      return report.succeeded() ? 0 : 1;
    } catch (RuntimeException | IOException e) {
      err.println("local fleet run failed: " + e);
      return 2;
    } finally {
      LocalPipeline pipeline = running.getAndSet(null);
      if (pipeline != null) {
        pipeline.close();
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /** The fleet page and its coverage file, copied to {@value #REPORT_DIR} to open in a browser; null when none. */
  static Path keepReport(Path root, LocalPipeline pipeline, LocalFleet.FleetReport report) throws IOException {
    if (report.coverage() == null) {
      return null;
    }
    Path dir = root.resolve(REPORT_DIR);
    Files.createDirectories(dir);
    Path page = dir.resolve("fleet-report.html");
    Files.writeString(page, pipeline.resultObject("coverage/latest.html"));
    Files.writeString(dir.resolve("fleet-coverage.json"), pipeline.resultObject("coverage/latest.json"));
    return page;
  }

  static ObjectNode toJson(LocalFleet.FleetReport report, String fleet, double seconds) {
    ObjectNode root = JSON.createObjectNode();
    root.put("fleet", fleet);
    root.put("executionArn", report.executionArn());
    root.put("status", report.status());
    root.put("durationMillis", report.duration().toMillis());
    root.put("scans", report.scans());
    root.set("states", LocalRun.statesJson(report.states()));
    root.set("coverage", report.coverage());
    root.put("tookSeconds", Math.round(seconds * 10) / 10.0);
    return root;
  }

  static void printText(PrintStream out, LocalFleet.FleetReport report, LocalPipeline pipeline, String fleet,
      double seconds) {
    out.println("Fleet      " + fleet);
    out.println("Execution  " + report.executionArn());
    out.printf(Locale.ROOT, "Status     %s in %.1f s, %d Run QScanner invocations%n", report.status(),
        report.duration().toMillis() / 1000.0, report.scans());
    out.println();
    LocalRun.printStates(out, report.states());
    out.println();
    JsonNode coverage = report.coverage();
    if (coverage == null) {
      out.println("Coverage   (none stored)");
    } else {
      JsonNode s = coverage.path("summary");
      out.println("Coverage   s3://" + pipeline.bucket() + "/coverage/runs/" + coverage.path("runId").asText() + ".json");
      out.printf(Locale.ROOT, "  %s%% covered: %d functions, %d scanned, %d excluded, %d unreachable, %d failed, "
              + "%d stale, %d not scanned%n", s.path("coveragePercent").asText(), s.path("total").asInt(),
          s.path("scanned").asInt(), s.path("excluded").asInt(), s.path("unreachable").asInt(),
          s.path("failed").asInt(), s.path("stale").asInt(), s.path("notScanned").asInt());
      out.println();
      out.printf(Locale.ROOT, "  %-13s %-10s %-28s %-12s %s%n", "Account", "Region", "Function", "State", "Reason");
      for (JsonNode f : coverage.path("functions")) {
        String why = f.path("error").isTextual() ? f.path("error").asText() : f.path("reason").asText("");
        out.printf(Locale.ROOT, "  %-13s %-10s %-28s %-12s %s%n", f.path("accountId").asText(),
            f.path("region").asText(), f.path("functionName").asText(), f.path("state").asText(), why);
      }
      coverage.path("notes").forEach(note -> out.println("  note: " + note.asText()));
    }
    out.println();
    out.println("Function logs  " + pipeline.logs());
    out.printf(Locale.ROOT, "Took %.1f s (emulator start, provisioning, seeding and the fleet run)%n", seconds);
  }
}
