package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SnapStart priming, from the built packages under the Runtime Interface Client: starting the pipeline starts each
 * SnapStart function as Lambda does before its snapshot (the RIC runs the beforeCheckpoint hooks), and nothing of
 * what priming does reaches the emulator: no claim or record in the bucket, no message on the topic.
 */
class PrimingIT {

  private static final List<String> SNAP_START = List.of("resolve-target", "fetch-credentials", "store-results",
      "notify");

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("clean");
  @InjectPipeline private static LocalPipeline pipeline;

  @Test
  void init_whenSnapStartFunction_primesEveryStepInTheProcess() throws IOException {
    for (String function : SNAP_START) {
      JsonNode primed = primedLine(function);
      assertThat(primed).as(function + " logs its priming").isNotNull();
      assertThat(primed.path("requestsAnsweredInProcess").asInt()).as(function).isPositive();
      primed.properties().stream()
          .filter(field -> !field.getKey().equals("requestsAnsweredInProcess") && field.getValue().isTextual()
              && !List.of("timestamp", "level", "message", "scanId").contains(field.getKey()))
          .forEach(step -> assertThat(step.getValue().asText()).as(function + " step " + step.getKey())
              .matches("completed|answered in process: .*|ended in com\\.qualys\\.lambdascanner\\..*Exception"));
    }
    assertThat(primedLine("run-qscanner")).as("run-qscanner has no SnapStart, so no priming").isNull();
  }

  @Test
  void init_whenSnapStartFunction_runsWithTheTemplatesC1OnlyJvmOptions() throws IOException {
    // Lambda's java25 default under SnapStart is full tiered compilation; the template's Globals ask for C1 only.
    for (String function : SNAP_START) {
      assertThat(Files.readString(pipeline.lambda().logFile(function))).as(function)
          .contains("Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }
  }

  @Test
  void init_whenPrimed_sendsNothingToAws() {
    assertThat(pipeline.resultObjects()).as("claims and records written by priming").isEmpty();
    assertThat(pipeline.drainPublishedMessages()).as("messages published by priming").isEmpty();
  }

  /** The function's "primed before the snapshot" log line, unwrapped from the runtime's JSON log record. */
  private static JsonNode primedLine(String function) throws IOException {
    for (String line : Files.readAllLines(pipeline.lambda().logFile(function))) {
      if (line.contains("primed before the snapshot")) {
        JsonNode record = Samples.json(line);
        return Samples.json(record.path("message").asText());
      }
    }
    return null;
  }
}
