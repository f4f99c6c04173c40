package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One execution as the Step Functions console shows it: the states it went through (status, duration, retries), built
 * from its history, plus where its result record was stored and the notification it sent.
 *
 * @param executionArn the execution
 * @param status RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED
 * @param duration from start to stop
 * @param states the states visited, in order
 * @param history every history event, as the API returns it
 * @param output the execution's output (null unless it succeeded)
 * @param recordBucket the bucket of the result record, if one was stored
 * @param recordKey its key
 * @param record the record's content
 * @param notification the SNS message, read back from the queue subscribed to the topic ({@code Subject},
 *     {@code Message}, ...), or null
 */
public record ExecutionReport(
    String executionArn,
    String status,
    Duration duration,
    List<StateRun> states,
    List<JsonNode> history,
    JsonNode output,
    String recordBucket,
    String recordKey,
    JsonNode record,
    JsonNode notification) {

  /**
   * One state's run.
   *
   * @param name the state's name
   * @param type Task, Choice, Succeed, Fail, ...
   * @param status Succeeded, Caught error (a Catch took over), Failed
   * @param duration entered to exited
   * @param retries attempts after the first (Retry)
   * @param error the last error seen in the state, or null
   */
  public record StateRun(String name, String type, String status, Duration duration, int retries, String error) {}

  public List<String> stateNames() {
    return states.stream().map(StateRun::name).toList();
  }

  public boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }

  /** The states of an execution history, in the order they were entered. */
  static List<StateRun> states(List<JsonNode> history) {
    List<StateRun> runs = new ArrayList<>();
    Map<String, Object[]> open = new LinkedHashMap<>();
    String current = null;
    for (JsonNode event : history) {
      String type = event.path("type").asText();
      Instant at = Instant.parse(event.path("timestamp").asText());
      if (type.endsWith("StateEntered")) {
        current = event.path("stateEnteredEventDetails").path("name").asText();
        // name, type, entered, attempts, error
        open.put(current, new Object[] {current, type.replace("StateEntered", ""), at, 0, null});
      } else if (type.equals("LambdaFunctionScheduled") || type.equals("TaskScheduled")) {
        if (current != null && open.containsKey(current)) {
          open.get(current)[3] = (int) open.get(current)[3] + 1;
        }
      } else if (type.equals("LambdaFunctionFailed") || type.equals("LambdaFunctionTimedOut")
          || type.equals("LambdaFunctionScheduleFailed") || type.equals("LambdaFunctionStartFailed")
          || type.equals("TaskFailed") || type.equals("TaskTimedOut")) {
        if (current != null && open.containsKey(current)) {
          JsonNode details = detailsOf(event);
          open.get(current)[4] = details.path("error").asText(type);
        }
      } else if (type.equals("LambdaFunctionSucceeded") || type.equals("TaskSucceeded")) {
        if (current != null && open.containsKey(current)) {
          open.get(current)[4] = null;
        }
      } else if (type.endsWith("StateExited")) {
        String name = event.path("stateExitedEventDetails").path("name").asText();
        Object[] run = open.remove(name);
        if (run != null) {
          runs.add(finish(run, at, run[4] == null ? "Succeeded" : "Caught error"));
        }
      } else if (type.startsWith("Execution") && !type.equals("ExecutionStarted")) {
        String status = type.equals("ExecutionSucceeded") ? "Succeeded" : "Failed";
        for (Object[] run : open.values()) {
          String error = (String) run[4];
          if (error == null && type.equals("ExecutionFailed")) {
            run[4] = detailsOf(event).path("error").asText(null);
          }
          runs.add(finish(run, at, error == null && "Fail".equals(run[1]) ? "Failed" : status));
        }
        open.clear();
      }
    }
    return runs;
  }

  private static StateRun finish(Object[] run, Instant exited, String status) {
    int attempts = (int) run[3];
    return new StateRun((String) run[0], (String) run[1], status, Duration.between((Instant) run[2], exited),
        Math.max(0, attempts - 1), (String) run[4]);
  }

  private static JsonNode detailsOf(JsonNode event) {
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      if (field.getKey().endsWith("EventDetails")) {
        return field.getValue();
      }
    }
    return event.path("none");
  }
}
