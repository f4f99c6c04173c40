package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;

/**
 * The run's state machines in moto's ASL interpreter and their executions: started, awaited, and reported with their
 * history, their stored record and their notification ({@link ExecutionReport}).
 */
final class Executions {

  private final LocalClients clients;
  private final ResultsReadback readback;
  private final Path projectRoot;
  private final java.util.function.Function<String, String> roleOfAslFile;
  private final java.util.function.Function<String, LoggingConfiguration> loggingOfAslFile;
  private final List<String> stateMachines = new CopyOnWriteArrayList<>();

  /**
   * {@code roleOfAslFile}, {@code loggingOfAslFile}: the role and the logging (or null) template.yaml gives the state
   * machine of that ASL file.
   */
  Executions(LocalClients clients, ResultsReadback readback, Path projectRoot,
      java.util.function.Function<String, String> roleOfAslFile,
      java.util.function.Function<String, LoggingConfiguration> loggingOfAslFile) {
    this.clients = clients;
    this.readback = readback;
    this.projectRoot = projectRoot;
    this.roleOfAslFile = roleOfAslFile;
    this.loggingOfAslFile = loggingOfAslFile;
  }

  /** A state machine from an ASL file of the project, rendered with exactly these substitutions: its ARN. */
  String createStateMachine(String name, String aslFile, Map<String, String> substitutions) {
    String definition = AslDefinitions.render(projectRoot, aslFile, substitutions);
    String roleArn = roleOfAslFile.apply(aslFile);
    LoggingConfiguration logging = loggingOfAslFile.apply(aslFile);
    String arn = clients.sfn.createStateMachine(b -> b.name(name).roleArn(roleArn).definition(definition)
        .loggingConfiguration(logging)).stateMachineArn();
    stateMachines.add(arn);
    return arn;
  }

  /** Every state machine of this run. */
  List<String> stateMachines() {
    return List.copyOf(stateMachines);
  }

  /** Starts an execution (named with a fresh UUID: the scan id) and returns its ARN without waiting. */
  String start(String machineArn, JsonNode event) {
    String name = UUID.randomUUID().toString();
    return clients.sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(event.toString()))
        .executionArn();
  }

  /** Waits for the execution's end (at most {@code limit}) and reports it, with its record and notification. */
  ExecutionReport await(String executionArn, Duration limit) {
    String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
    Instant giveUp = Instant.now().plus(limit);
    DescribeExecutionResponse described = clients.sfn.describeExecution(b -> b.executionArn(executionArn));
    while (described.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(giveUp)) {
      LocalPipeline.sleep(200);
      described = clients.sfn.describeExecution(b -> b.executionArn(executionArn));
    }
    List<JsonNode> history = history(executionArn);
    List<ExecutionReport.StateRun> states = ExecutionReport.states(history);
    JsonNode output = described.output() == null ? null : LocalPipeline.parse(described.output());
    JsonNode recordRef = recordReference(history);
    String recordBucket = recordRef == null ? null : recordRef.path("bucket").asText(null);
    String recordKey = recordRef == null ? null : recordRef.path("key").asText(null);
    JsonNode record = null;
    if (recordBucket != null && recordKey != null) {
      record = LocalPipeline.parse(
          clients.s3.getObjectAsBytes(b -> b.bucket(recordBucket).key(recordKey)).asUtf8String());
    }
    Duration duration = Duration.between(described.startDate(),
        described.stopDate() == null ? Instant.now() : described.stopDate());
    boolean notified = states.stream().anyMatch(s -> s.name().startsWith("Notify") && s.status().equals("Succeeded"));
    return new ExecutionReport(executionArn, described.statusAsString(), duration, states, history, output,
        recordBucket, recordKey, record,
        readback.notification(name, notified ? Duration.ofSeconds(10) : Duration.ofSeconds(2)));
  }

  /** Every event of the execution's history, as the API returns it (paged through). */
  List<JsonNode> history(String executionArn) {
    List<JsonNode> events = new ArrayList<>();
    for (HistoryEvent event : clients.sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)
        .includeExecutionData(true).maxResults(1000)).events()) {
      events.add(SdkJson.toJson(event));
    }
    return events;
  }

  /** Every execution of every state machine of this run. */
  List<String> executions() {
    List<String> arns = new ArrayList<>();
    for (String machine : stateMachines) {
      clients.sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions()
          .forEach(e -> arns.add(e.executionArn()));
    }
    return arns;
  }

  /** The {@code record} a Store Results or Record ... state put into the state: where the result went. */
  private static JsonNode recordReference(List<JsonNode> history) {
    JsonNode found = null;
    for (JsonNode event : history) {
      if (event.path("type").asText().equals("TaskStateExited")) {
        JsonNode details = event.path("stateExitedEventDetails");
        String name = details.path("name").asText();
        if (name.equals("Store Results") || name.startsWith("Record ")) {
          JsonNode output = LocalPipeline.parse(details.path("output").asText("{}"));
          if (output.path("record").isObject()) {
            found = output.path("record");
          }
        }
      }
    }
    return found;
  }
}
