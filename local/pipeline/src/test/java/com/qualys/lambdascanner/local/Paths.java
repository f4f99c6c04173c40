package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** What the path tests assert about an execution: its states, its errors, its record. */
final class Paths {

  static final List<String> SCANNED = List.of("Resolve Target", "Scan or Skip?", "Fetch Credentials", "Run QScanner",
      "Store Results", "Notify", "Scan Complete");
  static final List<String> SKIPPED =
      List.of("Resolve Target", "Scan or Skip?", "Record Skip", "Opt-Out to Notify?", "Skipped");
  /** An opt-out the policy honoured: stored, and notified as SKIPPED (issue 12). */
  static final List<String> OPTED_OUT = List.of("Resolve Target", "Scan or Skip?", "Record Skip", "Opt-Out to Notify?",
      "Notify Opt-Out", "Skipped");
  static final List<String> SCAN_FAILED = List.of("Resolve Target", "Scan or Skip?", "Fetch Credentials",
      "Run QScanner", "Record Failure", "Notify Failure", "Scan Failed");
  static final List<String> SCAN_TIMED_OUT = List.of("Resolve Target", "Scan or Skip?", "Fetch Credentials",
      "Run QScanner", "Record Timeout", "Notify Timeout", "Scan Timed Out");
  static final List<String> NOTIFICATION_FAILED = List.of("Resolve Target", "Scan or Skip?", "Fetch Credentials",
      "Run QScanner", "Store Results", "Notify", "Notification Failed");

  static final String RETRYABLE = "com.qualys.lambdascanner.common.error.RetryableException";
  static final String TERMINAL = "com.qualys.lambdascanner.common.error.TerminalException";
  static final String SCAN_TIMEOUT = "com.qualys.lambdascanner.common.error.ScanTimeoutException";

  private static Schema schema;

  private Paths() {}

  static ExecutionReport.StateRun state(ExecutionReport report, String name) {
    return report.states().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError(name + " not visited: " + describe(report)));
  }

  /** The error names of the failed Lambda invocations of one state, in order (a retried attempt is one each). */
  static List<String> lambdaErrors(ExecutionReport report, String stateName) {
    List<String> errors = new java.util.ArrayList<>();
    String current = null;
    for (JsonNode event : report.history()) {
      String type = event.path("type").asText();
      if (type.endsWith("StateEntered")) {
        current = event.path("stateEnteredEventDetails").path("name").asText();
      } else if ((type.equals("LambdaFunctionFailed") || type.equals("LambdaFunctionTimedOut"))
          && stateName.equals(current)) {
        JsonNode details = type.equals("LambdaFunctionFailed")
            ? event.path("lambdaFunctionFailedEventDetails") : event.path("lambdaFunctionTimedOutEventDetails");
        errors.add(details.path("error").asText(type));
      }
    }
    return errors;
  }

  /** How many times the state invoked its function (LambdaFunctionScheduled), retries included. */
  static long invocations(ExecutionReport report, String stateName) {
    return invocations(report.history(), stateName);
  }

  static long invocations(List<JsonNode> history, String stateName) {
    long count = 0;
    String current = null;
    for (JsonNode event : history) {
      String type = event.path("type").asText();
      if (type.endsWith("StateEntered")) {
        current = event.path("stateEnteredEventDetails").path("name").asText();
      } else if (type.equals("LambdaFunctionScheduled") && stateName.equals(current)) {
        count++;
      }
    }
    return count;
  }

  /** The state's output as the history has it (TaskStateExited), parsed. */
  static JsonNode output(ExecutionReport report, String stateName) {
    JsonNode found = null;
    for (JsonNode event : report.history()) {
      if (event.path("type").asText().endsWith("StateExited")
          && event.path("stateExitedEventDetails").path("name").asText().equals(stateName)) {
        found = LocalPipeline.parse(event.path("stateExitedEventDetails").path("output").asText("{}"));
      }
    }
    if (found == null) {
      throw new AssertionError(stateName + " did not exit: " + describe(report));
    }
    return found;
  }

  /** The execution's own failure (ExecutionFailed): {error, cause}. */
  static JsonNode executionFailure(ExecutionReport report) {
    return report.history().stream().filter(e -> e.path("type").asText().equals("ExecutionFailed"))
        .map(e -> e.path("executionFailedEventDetails")).findFirst()
        .orElseThrow(() -> new AssertionError("no ExecutionFailed: " + describe(report)));
  }

  static String executionName(ExecutionReport report) {
    return report.executionArn().substring(report.executionArn().lastIndexOf(':') + 1);
  }

  /** The record validates against docs/result-record.schema.json: the contract the readers (Athena) rely on. */
  static void assertValidRecord(JsonNode record) {
    synchronized (Paths.class) {
      if (schema == null) {
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
            Samples.text(Samples.projectRoot().resolve("docs/result-record.schema.json")), InputFormat.JSON);
      }
    }
    List<Error> errors = schema.validate(record.toString(), InputFormat.JSON);
    assertThat(errors).as("schema errors of " + record).isEmpty();
  }

  static String describe(ExecutionReport report) {
    List<String> states = report.states().stream()
        .map(s -> s.name() + "=" + s.status() + (s.error() == null ? "" : "(" + s.error() + ")") + " retries="
            + s.retries())
        .toList();
    return report.status() + " " + states + " record: " + report.record() + " history: " + report.history();
  }
}
