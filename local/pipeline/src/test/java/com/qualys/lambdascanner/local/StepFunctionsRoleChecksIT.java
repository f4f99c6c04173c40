package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * What Step Functions checks on a state machine's role with no request of the role's own (docs/local.md
 * "Authorization"): at CreateStateMachine, the .sync integrations' managed rule and the log delivery; when a
 * Distributed Map starts, its child executions. The stack's roles pass where template.yaml grants them (each test
 * fails with its statement removed); a role without the grant is refused as Step Functions refuses it.
 */
class StepFunctionsRoleChecksIT {

  /** A .sync:2 task, as the fleet's Scan Function state. */
  private static final String SYNC_TASK = """
      {"StartAt": "Scan", "States": {"Scan": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "%s", "Input": {}}, "End": true}}}""";
  /** A Distributed Map whose children are executions of this same state machine, as the fleet's Scan Functions. */
  private static final String DISTRIBUTED_MAP = """
      {"StartAt": "Children", "States": {"Children": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Child", "States": {"Child": {"Type": "Pass", "End": true}}},
        "End": true}}}""";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("clean");
  @InjectPipeline private static LocalPipeline pipeline;

  @Test
  void createStateMachine_whenTheFleetRoleHasASyncTaskAndLogging_expectationCreated() {
    String arn = pipeline.sfn().createStateMachine(b -> b.name("sync-check-fleet-role")
        .roleArn(pipeline.roleArn("FleetStateMachineRole")).definition(SYNC_TASK.formatted(pipeline.stateMachineArn()))
        .loggingConfiguration(logging("FleetStateMachine"))).stateMachineArn();

    assertThat(arn).endsWith(":stateMachine:sync-check-fleet-role");
  }

  @Test
  void createStateMachine_whenTheRoleMayNotCreateTheManagedRule_expectationAccessDenied() {
    String scanRole = pipeline.roleArn("ScanStateMachineRole");

    SfnException refused = catchThrowableOfType(SfnException.class, () -> pipeline.sfn().createStateMachine(b -> b
        .name("sync-check-scan-role").roleArn(scanRole).definition(SYNC_TASK.formatted(pipeline.stateMachineArn()))));

    assertThat(refused).isNotNull();
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("'" + scanRole + "' is not authorized to create "
        + "managed-rule.");
    assertThat(pipeline.sfn().listStateMachines().stateMachines()).noneMatch(m -> m.name().equals("sync-check-scan-role"));
  }

  @Test
  void updateStateMachine_whenANewDefinitionAddsASyncTaskTheRoleMayNotRun_expectationAccessDeniedAndUnchanged() {
    String scanRole = pipeline.roleArn("ScanStateMachineRole");
    String arn = pipeline.sfn().createStateMachine(b -> b.name("sync-check-update").roleArn(scanRole)
        .definition(DISTRIBUTED_MAP)).stateMachineArn();

    SfnException refused = catchThrowableOfType(SfnException.class, () -> pipeline.sfn().updateStateMachine(b -> b
        .stateMachineArn(arn).definition(SYNC_TASK.formatted(pipeline.stateMachineArn()))));

    assertThat(refused).isNotNull();
    assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("'" + scanRole + "' is not authorized to create "
        + "managed-rule.");
    assertThat(pipeline.sfn().describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(DISTRIBUTED_MAP);
  }

  @Test
  void createStateMachine_whenTheScanRoleDeliversItsErrorLogs_expectationCreated() {
    String arn = pipeline.sfn().createStateMachine(b -> b.name("log-check-scan-role")
        .roleArn(pipeline.roleArn("ScanStateMachineRole")).definition(DISTRIBUTED_MAP)
        .loggingConfiguration(logging("ScanStateMachine"))).stateMachineArn();

    assertThat(arn).endsWith(":stateMachine:log-check-scan-role");
  }

  @Test
  void execute_whenTheFleetRoleRunsADistributedMap_expectationChildrenRun() {
    // Named as the fleet's state machine: the role's grants name it.
    String arn = pipeline.sfn().createStateMachine(b -> b.name(LocalFleet.STATE_MACHINE_NAME)
        .roleArn(pipeline.roleArn("FleetStateMachineRole")).definition(DISTRIBUTED_MAP)).stateMachineArn();

    DescribeExecutionResponse run = run(arn);

    assertThat(run.status()).as(run.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(LocalPipeline.parse(run.output())).isEqualTo(LocalPipeline.parse("[1,2]"));
  }

  @Test
  void execute_whenTheRoleMayNotStartTheChildren_expectationStatesRuntime() {
    String arn = pipeline.sfn().createStateMachine(b -> b.name("map-check-scan-role")
        .roleArn(pipeline.roleArn("ScanStateMachineRole")).definition(DISTRIBUTED_MAP)).stateMachineArn();

    DescribeExecutionResponse run = run(arn);

    assertThat(run.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.error()).isEqualTo("States.Runtime");
    assertThat(run.cause()).contains("is not authorized to perform: states:StartExecution on resource: " + arn);
  }

  private static LoggingConfiguration logging(String stateMachineId) {
    return StateMachineLogging.of(Template.read(pipeline.projectRoot().resolve("template.yaml")), stateMachineId,
        pipeline.account(), pipeline.region());
  }

  private static DescribeExecutionResponse run(String machineArn) {
    String execution = pipeline.sfn().startExecution(b -> b.stateMachineArn(machineArn).input("{\"items\": [1, 2]}"))
        .executionArn();
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
    DescribeExecutionResponse described = pipeline.sfn().describeExecution(b -> b.executionArn(execution));
    while (described.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(giveUp)) {
      LocalPipeline.sleep(200);
      described = pipeline.sfn().describeExecution(b -> b.executionArn(execution));
    }
    return described;
  }
}
