package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code make local}: the pipeline end to end on this machine, for one event.
 *
 * <p>Settings, each an environment variable or a system property of the same name:
 * <ul>
 *   <li>{@code EVENT}: the execution input, a file (default {@code events/eventbridge/update-function-code.json})
 *   <li>{@code SCENARIO}: what the stand-in scanner does (clean, findings, deny, audit, partial, error, hang, ...)
 *   <li>{@code FORMAT}: {@code text} (the console's view) or {@code json} (one JSON object)
 *   <li>{@code MODE}: {@code single} (default: the pipeline in the event's account and region) or {@code hub} (the
 *       pipeline in 123456789012/us-east-1 with SPOKE_ROLE_NAME set, the event moved to the spoke account
 *       210987654321/eu-west-1, its target created there and read through the spoke role), or {@code fleet} (the
 *       fleet workflow over {@code FLEET}, a fleet file, default events/fleet/fleet.json: {@link FleetRun})
 *   <li>{@code RESCAN}: a second scenario (e.g. {@code changed}): after the first execution the event's Zip
 *       function is redeployed (new code, a new version) and scanned again with it, and the second execution is
 *       printed too: its record and message show what is new and fixed since the first
 *   <li>{@code SCANNER_PACKAGING}: {@code zip} (default) or {@code image}: run-qscanner as the container image
 *       {@link ScannerImage} builds (the template's ScannerPackaging), run from its own entrypoint and root filesystem
 *   <li>{@code PROJECT_ROOT} (or {@code project.root}): the repository, default the working directory
 * </ul>
 * Exit status 0 when the execution succeeded, 1 when it did not, 2 when the run itself could not happen.
 */
public final class LocalRun {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LocalRun() {}

  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  static int run(PrintStream out, PrintStream err) {
    Path root = Path.of(setting("PROJECT_ROOT", setting("project.root", "."))).toAbsolutePath().normalize();
    String eventSetting = setting("EVENT", "events/eventbridge/update-function-code.json");
    String scenario = setting("SCENARIO", "findings");
    boolean json = setting("FORMAT", "text").toLowerCase(Locale.ROOT).equals("json");
    if (setting("MODE", "single").toLowerCase(Locale.ROOT).equals("fleet")) {
      return FleetRun.run(root, setting("FLEET", FleetRun.DEFAULT_FLEET), scenario, json, out, err);
    }
    Path eventFile = root.resolve(eventSetting);
    JsonNode event;
    try {
      event = JSON.readTree(Files.readString(eventFile));
    } catch (IOException e) {
      err.println("cannot read EVENT=" + eventSetting + ": " + e.getMessage());
      return 2;
    }
    boolean hub = setting("MODE", "single").toLowerCase(Locale.ROOT).equals("hub");
    PipelineSettings.Options options = PipelineSettings.Options.defaults();
    String account;
    String region;
    if (hub) {
      // The scanner in the hub account; the event (and its target) in a spoke account and another region.
      event = LocalPipeline.relocate(event, PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION);
      options = options.withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID);
      account = PipelineSettings.DEFAULT_ACCOUNT;
      region = PipelineSettings.DEFAULT_REGION;
    } else {
      TargetSpec target = TargetSpec.from(event, PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION);
      account = event.path("account").asText(target == null ? PipelineSettings.DEFAULT_ACCOUNT : target.account());
      region = event.path("region").asText(target == null ? PipelineSettings.DEFAULT_REGION : target.region());
    }

    String packaging = setting("SCANNER_PACKAGING", "zip").toLowerCase(Locale.ROOT);
    if (!List.of("zip", "image").contains(packaging)) {
      err.println("SCANNER_PACKAGING=" + packaging + ": zip or image");
      return 2;
    }
    if (packaging.equals("image")) {
      try {
        options = options.withScannerImage(ScannerImage.build(root));
      } catch (RuntimeException e) {
        err.println(e.getMessage());
        return 2;
      }
    }

    long started = System.nanoTime();
    AtomicReference<LocalPipeline> running = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    // Ctrl-C or a crash: moto and every function runtime stop with this JVM.
    Thread cleanup = new Thread(() -> {
      stopping.set(true);
      LocalPipeline pipeline = running.getAndSet(null);
      if (pipeline != null) {
        pipeline.close();
      }
    });
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      if (!json) {
        out.println("Starting moto and the five functions (account " + account + ", " + region
            + (hub ? "; hub mode, the event from " + PipelineSettings.SPOKE_ACCOUNT + "/" + PipelineSettings.SPOKE_REGION : "")
            + ")...");
      }
      LocalPipeline pipeline = LocalPipeline.start(root, account, region, scenario, options);
      running.set(pipeline);
      if (stopping.get()) {
        // Stopped while it was starting: the hook found nothing to stop yet.
        running.set(null);
        pipeline.close();
        return 130;
      }
      pipeline.ensureTarget(event);
      ExecutionReport report = pipeline.execute(event, Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - started) / 1e9;
      String rescan = setting("RESCAN", "");
      if (rescan.isBlank()) {
        if (json) {
          out.println(JSON.writeValueAsString(toJson(report, pipeline, eventSetting, scenario, seconds)));
        } else {
          printText(out, report, pipeline, eventSetting, scenario, seconds);
        }
        return report.succeeded() ? 0 : 1;
      }
      // The same function, redeployed and scanned again: the second record compares with the first.
      pipeline.scenarios(rescan, java.util.Map.of());
      JsonNode redeployed = Redeploy.of(pipeline, event, "rescan");
      ExecutionReport second = pipeline.execute(redeployed, Duration.ofMinutes(5));
      double total = (System.nanoTime() - started) / 1e9;
      if (json) {
        ObjectNode both = toJson(report, pipeline, eventSetting, scenario, seconds);
        both.set("rescan", toJson(second, pipeline, eventSetting, rescan, total));
        out.println(JSON.writeValueAsString(both));
      } else {
        printText(out, report, pipeline, eventSetting, scenario, seconds);
        out.println();
        out.println("=== Rescan: the same function redeployed, scanned with scenario " + rescan + " ===");
        out.println("Changes    " + second.record().path("changes"));
        printText(out, second, pipeline, eventSetting, rescan, total);
      }
      return report.succeeded() && second.succeeded() ? 0 : 1;
    } catch (RuntimeException | IOException e) {
      if (stopping.get()) {
        err.println("stopped: moto and the function runtimes are shut down");
        return 130;
      }
      err.println("local run failed: " + e);
      return 2;
    } finally {
      LocalPipeline pipeline = running.getAndSet(null);
      if (pipeline != null) {
        pipeline.close();
      }
    }
  }

  static void printText(PrintStream out, ExecutionReport report, LocalPipeline pipeline, String event, String scenario,
      double seconds) throws IOException {
    out.println("Event      " + event + "   (stand-in qscanner scenario: " + scenario + ")");
    out.println("Execution  " + report.executionArn());
    out.printf(Locale.ROOT, "Status     %s in %.1f s%n", report.status(), report.duration().toMillis() / 1000.0);
    out.println();
    printStates(out, report.states());
    out.println();
    if (report.recordKey() != null) {
      out.println("Result record  s3://" + report.recordBucket() + "/" + report.recordKey());
      out.println(JSON.writeValueAsString(report.record()));
      out.println("Exposure   " + RecordRisk.of(report.record()).summary());
    } else {
      out.println("Result record  (none stored)");
    }
    out.println();
    if (report.notification() != null) {
      out.println("Notification   " + pipeline.topicArn() + " (read back from its SQS subscription)");
      out.println("Subject: " + report.notification().path("Subject").asText(""));
      // One line: the message repeats most of the record printed above (FORMAT=json has it whole, structured).
      out.println("Message: " + LocalPipeline.parse(report.notification().path("Message").asText("")));
    } else {
      out.println("Notification   (none received)");
    }
    out.println();
    out.println("Function logs  " + pipeline.logs());
    out.printf(Locale.ROOT, "Took %.1f s (emulator start, provisioning and the execution)%n", seconds);
  }

  static ObjectNode toJson(ExecutionReport report, LocalPipeline pipeline, String event, String scenario,
      double seconds) {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", event);
    root.put("scenario", scenario);
    root.put("executionArn", report.executionArn());
    root.put("status", report.status());
    root.put("durationMillis", report.duration().toMillis());
    root.set("states", statesJson(report.states()));
    ObjectNode record = root.putObject("record");
    record.put("bucket", report.recordBucket());
    record.put("key", report.recordKey());
    record.set("content", report.record());
    ObjectNode notification = root.putObject("notification");
    notification.put("topicArn", pipeline.topicArn());
    JsonNode envelope = report.notification();
    notification.put("subject", envelope == null ? null : envelope.path("Subject").asText(null));
    notification.set("message", envelope == null ? null : LocalPipeline.parse(envelope.path("Message").asText("")));
    root.set("output", report.output());
    ArrayNode history = root.putArray("history");
    report.history().forEach(history::add);
    root.put("logs", pipeline.logs().toString());
    root.put("tookSeconds", Math.round(seconds * 10) / 10.0);
    return root;
  }

  /** The console's table of the states an execution went through (also the fleet's, {@link FleetRun}). */
  static void printStates(PrintStream out, java.util.List<ExecutionReport.StateRun> states) {
    out.printf(Locale.ROOT, "  %-3s %-22s %-8s %-13s %9s  %s%n", "#", "State", "Type", "Status", "Duration", "Retries");
    int n = 1;
    for (ExecutionReport.StateRun state : states) {
      out.printf(Locale.ROOT, "  %-3d %-22s %-8s %-13s %7.2f s  %d%s%n", n++, state.name(), state.type(),
          state.status(), state.duration().toMillis() / 1000.0, state.retries(),
          state.error() == null ? "" : "   error: " + state.error());
    }
  }

  /** The states as FORMAT=json lists them. */
  static ArrayNode statesJson(java.util.List<ExecutionReport.StateRun> runs) {
    ArrayNode states = JSON.createArrayNode();
    for (ExecutionReport.StateRun state : runs) {
      ObjectNode node = states.addObject();
      node.put("name", state.name());
      node.put("type", state.type());
      node.put("status", state.status());
      node.put("durationMillis", state.duration().toMillis());
      node.put("retries", state.retries());
      node.put("error", state.error());
    }
    return states;
  }

  private static String setting(String name, String fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? fallback : value;
  }
}
