package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code make local MODE=fleet}: the fleet workflow on a {@link LocalPipeline} in hub mode. Seeds a {@link FleetSpec}
 * in moto (functions in their accounts and regions, tags, layers, image functions; an unreachable account's spoke role
 * refused by STS), registers the two fleet functions beside the pipeline's five, and creates the fleet state machine
 * from statemachine/fleet-scan.asl.json; its Distributed Map runs in moto's interpreter and starts the real scan state
 * machine per function ({@code states:startExecution.sync:2}, forwarded to moto by LocalLambda).
 */
public final class LocalFleet {

  public static final String STATE_MACHINE_ID = "FleetStateMachine";
  public static final String STATE_MACHINE_NAME = "qualys-lambda-scanner-fleet";
  public static final String ASL_FILE = "statemachine/fleet-scan.asl.json";
  /** template.yaml's schedule that starts fleet runs. */
  public static final String SCHEDULE_ID = "FleetRunSchedule";

  public static final List<PipelineSettings.Function> FUNCTIONS = List.of(
      new PipelineSettings.Function("FleetEnumerateFunction", "fleet-enumerate",
          "com.qualys.lambdascanner.fleet.enumerate.EnumerateFleetHandler::handleRequest", 900),
      new PipelineSettings.Function("FleetCoverageFunction", "fleet-coverage",
          "com.qualys.lambdascanner.fleet.coverage.BuildCoverageHandler::handleRequest", 900));

  /** The fleet's local numbers; the retry values are the scan machine's local ones ({@link LocalPipeline#LOCAL_NUMBERS}). */
  public static final Map<String, String> LOCAL_NUMBERS = Map.of(
      "FleetTaskTimeoutSeconds", "300",
      "FleetExecutionTimeoutSeconds", "3600",
      "FleetMaxConcurrency", "6",
      "FleetToleratedFailurePercentage", "10");

  private final LocalPipeline pipeline;
  private final String stateMachineArn;

  private LocalFleet(LocalPipeline pipeline, String stateMachineArn) {
    this.pipeline = pipeline;
    this.stateMachineArn = stateMachineArn;
  }

  /**
   * Seeds the fleet and creates the fleet workflow on a pipeline started in hub mode.
   *
   * @param rescanAfter the freshness window Build Coverage applies (ISO-8601; Resolve Target's is the pipeline's
   *     {@code RESCAN_AFTER} option)
   * @param overrides substitutions over {@link #LOCAL_NUMBERS} (e.g. FleetMaxConcurrency)
   */
  public static LocalFleet start(LocalPipeline pipeline, FleetSpec spec, String rescanAfter,
      Map<String, String> overrides) {
    if (!pipeline.options().hub()) {
      throw new IllegalArgumentException("the local fleet runs on a hub-mode pipeline (Options.withHub)");
    }
    seed(pipeline, spec);
    String own = pipeline.account();
    String accounts = String.join(",", spec.accounts().stream().map(FleetSpec.Account::accountId)
        .filter(a -> !a.equals(own)).toList());
    List<String> regions = spec.regions().isEmpty() ? List.of(pipeline.region()) : spec.regions();
    pipeline.registerFunction(FUNCTIONS.get(0), Map.of(
        "RESULTS_BUCKET", pipeline.bucket(),
        "FLEET_ACCOUNTS", accounts,
        "FLEET_REGIONS", String.join(",", regions),
        "SPOKE_ROLE_NAME", pipeline.options().spokeRoleName(),
        "SPOKE_EXTERNAL_ID", pipeline.options().spokeExternalId()));
    pipeline.registerFunction(FUNCTIONS.get(1), Map.of(
        "RESULTS_BUCKET", pipeline.bucket(),
        "TOPIC_ARN", pipeline.topicArn(),
        "RESCAN_AFTER", rescanAfter));
    String arn = pipeline.createStateMachine(STATE_MACHINE_NAME, ASL_FILE, substitutions(pipeline, overrides));
    return new LocalFleet(pipeline, arn);
  }

  /** The fleet ASL's substitutions for this run: the template's literals, the local numbers, this run's ARNs. */
  static Map<String, String> substitutions(LocalPipeline pipeline, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    Template.find(pipeline.projectRoot()).ifPresent(t -> t.definitionSubstitutions(STATE_MACHINE_ID).forEach((k, v) -> {
      if (v instanceof String || v instanceof Number) {
        values.put(k, String.valueOf(v));
      }
    }));
    values.putAll(PipelineSettings.LOCAL_NUMBERS);
    values.putAll(PipelineSettings.LOCAL_RETRY_NUMBERS);
    values.putAll(LOCAL_NUMBERS);
    // As in template.yaml, a fleet item waits for its scan as long as the scan machine's own backstop: the value this
    // pipeline's scan machine was created with.
    values.put("ScanExecutionTimeoutSeconds", pipeline.localSubstitutions().get("ExecutionTimeoutSeconds"));
    values.putAll(overrides);
    for (PipelineSettings.Function function : FUNCTIONS) {
      values.put(function.logicalId().replace("Function", "FunctionArn"), "arn:aws:lambda:" + pipeline.region() + ":"
          + pipeline.account() + ":function:" + function.name() + ":" + PipelineSettings.ALIAS);
    }
    values.put("ScanStateMachineArn", pipeline.stateMachineArn());
    values.put("FindingsTopicArn", pipeline.topicArn());
    values.put("ResultsBucketName", pipeline.bucket());
    return values;
  }

  /** Every function of the spec created in its account and region; unreachable accounts' spoke roles refused. */
  private static void seed(LocalPipeline pipeline, FleetSpec spec) {
    for (FleetSpec.Account account : spec.accounts()) {
      if (!account.reachable()) {
        pipeline.lambda().denyAssumeRole(
            "arn:aws:iam::" + account.accountId() + ":role/" + pipeline.options().spokeRoleName());
      }
      for (FleetSpec.Function function : account.functions()) {
        pipeline.ensureTarget(creation(account.accountId(), function));
        if (!function.tags().isEmpty()) {
          pipeline.lambdaIn(account.accountId(), function.region()).tagResource(b -> b.resource(
              arn(account.accountId(), function.region(), function.name())).tags(function.tags()));
        }
      }
    }
  }

  /** A CreateFunction event as CloudTrail would deliver it: what {@link LocalPipeline#ensureTarget} creates from. */
  private static JsonNode creation(String account, FleetSpec.Function function) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("account", account);
    event.put("region", function.region());
    ObjectNode detail = event.putObject("detail");
    ObjectNode request = detail.putObject("requestParameters");
    request.put("functionName", function.name());
    request.put("packageType", function.image() ? "Image" : "Zip");
    if (function.image()) {
      request.putObject("code").put("imageUri",
          account + ".dkr.ecr." + function.region() + ".amazonaws.com/" + function.name() + ":latest");
    } else {
      request.put("runtime", "python3.12");
      request.put("handler", "index.handler");
      function.layers().forEach(request.putArray("layers")::add);
    }
    detail.putObject("responseElements").put("functionName", function.name());
    return event;
  }

  static String arn(String account, String region, String name) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }

  /**
   * Starts a fleet run as the deployed stack does, through its schedule (template.yaml's {@code FleetRunSchedule}, fired
   * now: {@code scheduler.amazonaws.com} assumes FleetScheduleRole, which starts the fleet state machine), and waits
   * for its end (at most {@code limit}); reports it with its coverage.
   */
  public FleetReport run(Duration limit) {
    int scansBefore = pipeline.lambda().invocationCount("run-qscanner");
    Scheduler.Firing firing = pipeline.events().fireSchedule(SCHEDULE_ID);
    if (!firing.started()
        || !firing.executionArn().startsWith(stateMachineArn.replace(":stateMachine:", ":execution:") + ":")) {
      throw new IllegalStateException("the fleet schedule started no fleet run: " + firing);
    }
    String executionArn = firing.executionArn();
    String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
    Instant giveUp = Instant.now().plus(limit);
    DescribeExecutionResponse described = pipeline.sfn().describeExecution(b -> b.executionArn(executionArn));
    while (described.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(giveUp)) {
      LocalPipeline.sleep(500);
      described = pipeline.sfn().describeExecution(b -> b.executionArn(executionArn));
    }
    List<JsonNode> history = pipeline.history(executionArn);
    String coverageKey = "coverage/runs/" + name + ".json";
    JsonNode coverage = pipeline.resultObjects().contains(coverageKey)
        ? LocalPipeline.parse(pipeline.resultObject(coverageKey))
        : null;
    Duration duration = Duration.between(described.startDate(),
        described.stopDate() == null ? Instant.now() : described.stopDate());
    return new FleetReport(executionArn, described.statusAsString(), duration, ExecutionReport.states(history),
        history, coverage, pipeline.lambda().invocationCount("run-qscanner") - scansBefore);
  }

  /**
   * A fleet run.
   *
   * @param coverage the run's coverage file, null when none was stored
   * @param scans Run QScanner invocations during the run
   */
  public record FleetReport(String executionArn, String status, Duration duration, List<ExecutionReport.StateRun> states,
      List<JsonNode> history, JsonNode coverage, int scans) {

    public boolean succeeded() {
      return "SUCCEEDED".equals(status);
    }

    /** The top-level states, in order, each once (a retried state is one entry). */
    public List<String> stateNamesInOrder() {
      return states.stream().map(ExecutionReport.StateRun::name).distinct().toList();
    }

    public JsonNode summary() {
      return coverage == null ? null : coverage.path("summary");
    }
  }
}
