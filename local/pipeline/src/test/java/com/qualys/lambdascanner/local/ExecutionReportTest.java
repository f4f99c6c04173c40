package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console view built from an execution history: states in order, status, duration, retries. */
class ExecutionReportTest {

  private final List<JsonNode> history = new ArrayList<>();
  private int second;

  private void event(String type, String details) {
    String at = "2026-11-27T10:00:" + String.format("%02d", second++) + "Z";
    history.add(Samples.json("{\"timestamp\":\"" + at + "\",\"type\":\"" + type + "\"" + (details == null ? "" : "," + details)
        + "}"));
  }

  private void entered(String kind, String name) {
    event(kind + "StateEntered", "\"stateEnteredEventDetails\":{\"name\":\"" + name + "\"}");
  }

  private void exited(String kind, String name) {
    event(kind + "StateExited", "\"stateExitedEventDetails\":{\"name\":\"" + name + "\"}");
  }

  @Test
  void states_whenTaskRetriedThenSucceeded_expectationOneRetrySucceeded() {
    event("ExecutionStarted", null);
    entered("Task", "Fetch Credentials");
    event("LambdaFunctionScheduled", null);
    event("LambdaFunctionFailed", "\"lambdaFunctionFailedEventDetails\":{\"error\":\"Lambda.ServiceException\"}");
    event("LambdaFunctionScheduled", null);
    event("LambdaFunctionSucceeded", null);
    exited("Task", "Fetch Credentials");
    entered("Succeed", "Scan Complete");
    exited("Succeed", "Scan Complete");
    event("ExecutionSucceeded", null);

    List<ExecutionReport.StateRun> states = ExecutionReport.states(history);

    assertThat(states).extracting(ExecutionReport.StateRun::name).containsExactly("Fetch Credentials", "Scan Complete");
    assertThat(states.get(0).retries()).isEqualTo(1);
    assertThat(states.get(0).status()).isEqualTo("Succeeded");
    assertThat(states.get(0).error()).isNull();
    assertThat(states.get(0).duration()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void states_whenTaskCaughtThenFailState_expectationCaughtErrorAndFailed() {
    event("ExecutionStarted", null);
    entered("Task", "Run QScanner");
    event("LambdaFunctionScheduled", null);
    event("LambdaFunctionFailed", "\"lambdaFunctionFailedEventDetails\":{\"error\":\"com.example.Terminal\"}");
    exited("Task", "Run QScanner");
    entered("Fail", "Scan Failed");
    event("ExecutionFailed", "\"executionFailedEventDetails\":{\"error\":\"ScanFailed\"}");

    List<ExecutionReport.StateRun> states = ExecutionReport.states(history);

    assertThat(states).extracting(ExecutionReport.StateRun::status).containsExactly("Caught error", "Failed");
    assertThat(states.get(0).error()).isEqualTo("com.example.Terminal");
    assertThat(states.get(0).retries()).isZero();
    assertThat(states.get(1).error()).isEqualTo("ScanFailed");
  }
}
