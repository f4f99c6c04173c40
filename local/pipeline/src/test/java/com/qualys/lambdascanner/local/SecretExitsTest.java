package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: every way out of a function (handler outputs and errors, log lines, S3 objects, SNS and EventBridge
 * messages, Security Hub findings, function tags) goes through the guard: the JsonCodec (whose strings its
 * SecretGuard redacts) or, for qscanner's own files, the SecretScrubber. The functions' sources are read for the
 * calls that write; each must be a listed exit, in a file that uses the guard the list names. A new exit fails here
 * until it is listed with its guard; an exit that stops using its guard fails too.
 */
class SecretExitsTest {

  /** The calls that send data out of a function. */
  private static final Pattern EXIT = Pattern.compile(
      "\\.(putObject|publish|putEvents|tagResource|batchImportFindings|handleRequest|log)\\((?!\")"
          + "|System\\.(out|err)|\\.write(Value|ValueAsString|ValueAsBytes)\\(");

  /** Each exit, by file and call, with the text in that file that passes the data through the guard. */
  private static final Map<String, String> GUARDED = new TreeMap<>(Map.ofEntries(
      Map.entry("common/common/json/JsonCodec.java writeValue", "redacted(value)"),
      Map.entry("common/common/json/JsonCodec.java writeValueAsString", "redacted(value)"),
      Map.entry("common/common/log/StructuredLog.java log", "logger.log(json.toJson(line)"),
      Map.entry("run-qscanner/scan/ReportUploader.java putObject", "masked copies"),
      // The index is written from findings parsed out of the masked copies (RunQScanner: find(reports, ...)).
      Map.entry("run-qscanner/scan/FindingsIndexWriter.java writeValue", "findings read"),
      Map.entry("run-qscanner/scan/ScanSessionPolicy.java writeValueAsString", "policy"),
      Map.entry("store-results/store/StoreResults.java putObject", "json.toJson"),
      Map.entry("store-results/store/SecurityHubExport.java batchImportFindings",
          "SecurityHubClient.java:json.toJson(request)"),
      Map.entry("store-results/store/FunctionTagger.java tagResource", "log.guard().redact"),
      Map.entry("store-results/store/Quarantine.java tagResource", "log.guard().redact"),
      Map.entry("store-results/store/StoreResultsModule.java System.out", "new ScanMetrics(json"),
      Map.entry("store-results/store/StoreResultsPriming.java putObject", "priming"),
      Map.entry("notify/notify/Notify.java publish", "built.json()"),
      Map.entry("notify/notify/Notify.java putEvents", "built.json()"),
      Map.entry("notify/notify/NotifyPriming.java publish", "priming"),
      Map.entry("notify/notify/NotifyPriming.java putEvents", "priming"),
      Map.entry("resolve-target/resolve/S3ClaimStore.java putObject", "json.toJson(claim)"),
      Map.entry("fleet-enumerate/fleet/enumerate/EnumerateFleet.java putObject", "json.toJson"),
      Map.entry("fleet-coverage/fleet/coverage/FleetObjects.java putObject",
          "BuildCoverage.java:String body = json.toJson(report)"),
      Map.entry("fleet-coverage/fleet/coverage/BuildCoverage.java publish", "json.toJson(message)"),
      Map.entry("fleet-coverage/fleet/coverage/BuildCoverageModule.java System.out", "new CoverageMetrics(json")));

  @Test
  void exits_always_passTheGuard() throws IOException {
    Map<String, String> found = exits();

    assertThat(found.keySet()).as("the exits in the functions' sources (list a new one with its guard)")
        .containsExactlyInAnyOrderElementsOf(GUARDED.keySet());
    List<String> unguarded = new ArrayList<>();
    found.forEach((exit, source) -> {
      if (!guardIn(exit, source)) {
        unguarded.add(exit + " (no " + GUARDED.get(exit) + ")");
      }
    });
    assertThat(unguarded).as("exits whose file does not use the guard").isEmpty();
  }

  /** Whether the exit's file (or the file the guard names, beside it) holds the guard's text. */
  private static boolean guardIn(String exit, String source) {
    String guard = GUARDED.get(exit);
    int in = guard.indexOf(".java:");
    if (in < 0) {
      return source.contains(guard);
    }
    String module = exit.substring(0, exit.indexOf('/'));
    try (Stream<Path> files = Files.walk(Samples.projectRoot().resolve("functions").resolve(module))) {
      Path beside = files.filter(p -> p.endsWith(guard.substring(0, in + 5))).findFirst().orElseThrow();
      return Files.readString(beside).contains(guard.substring(in + 6));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void handlers_always_answerThroughTheCodecsHandle() throws IOException {
    List<String> handlers = new ArrayList<>();
    for (Path file : sources()) {
      String source = Files.readString(file);
      if (source.contains("implements RequestStreamHandler")) {
        handlers.add(file.getFileName().toString());
        assertThat(source).as(file.toString()).contains("json.handle(input, output,")
            .doesNotContain("json.write(").doesNotContain("output.write(");
      }
    }
    assertThat(handlers).as("every function's handler").hasSize(7);
  }

  @Test
  void exits_whenAFileWritesAroundTheGuard_areFound() {
    // The check can fail: a made-up exit is found, and it is not a listed one.
    Matcher m = EXIT.matcher("    sqs.sendMessage(x); sns.publish(b -> b.message(raw));");

    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isEqualTo("publish");
  }

  /** "module/package-tail/File.java call" of every exit, with its file's source. */
  private static Map<String, String> exits() throws IOException {
    Map<String, String> exits = new TreeMap<>();
    for (Path file : sources()) {
      String source = Files.readString(file);
      Matcher m = EXIT.matcher(source);
      while (m.find()) {
        String call = m.group(1) != null ? m.group(1) : m.group(2) != null ? "System." + m.group(2)
            : "write" + m.group(3);
        if (call.equals("handleRequest") || call.equals("log") && !source.contains("LambdaLogger")) {
          continue; // handlers are checked below; log( is only the Lambda logger's
        }
        exits.put(name(file) + " " + call, source);
      }
    }
    return exits;
  }

  private static String name(Path file) {
    Path functions = Samples.projectRoot().resolve("functions");
    Path relative = functions.relativize(file);
    String module = relative.getName(0).toString();
    Path java = relative.subpath(4, relative.getNameCount()); // after src/main/java
    String tail = java.toString().replace("com/qualys/lambdascanner/", "");
    return module + "/" + tail;
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(Samples.projectRoot().resolve("functions"))) {
      return files.filter(p -> p.toString().contains("/src/main/java/") && p.toString().endsWith(".java"))
          .filter(p -> !p.toString().contains("/functions/testing/"))
          .sorted().toList();
    }
  }
}
