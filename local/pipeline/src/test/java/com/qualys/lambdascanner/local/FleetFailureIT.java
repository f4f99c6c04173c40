package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet run that cannot store its inventory (S3 refuses the fleet prefix) ends in Fleet Run Failed after a
 * FleetRunFailed message on the findings topic: a fleet run is never lost without a word either.
 */
class FleetFailureIT {

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID).withMaxConcurrency(1));
  @InjectPipeline private static LocalPipeline pipeline;

  @Test
  void run_whenInventoryCannotBeStored_expectationNotifiedFailure() {
    FleetSpec spec = new FleetSpec(List.of(new FleetSpec.Account(PipelineSettings.DEFAULT_ACCOUNT, List.of("us-east-1"),
        true, List.of(new FleetSpec.Function("orders-api", "us-east-1", "Zip", Map.of(), List.of())))));
    LocalFleet fleet = LocalFleet.start(pipeline, spec, "P7D", Map.of());
    pipeline.lambda().failService("s3", "/fleet/runs/", Integer.MAX_VALUE, "AccessDenied");

    LocalFleet.FleetReport report = fleet.run(Duration.ofMinutes(5));

    assertThat(report.status()).isEqualTo("FAILED");
    // Started as the deployed stack starts it: its schedule fired, FleetScheduleRole assumed by
    // scheduler.amazonaws.com (the role's trust alone decides), and that role's session started the run.
    assertThat(pipeline.authorization().decisions()).anySatisfy(d -> {
      assertThat(d.principal()).isEqualTo("scheduler.amazonaws.com");
      assertThat(d.action()).isEqualTo("sts:AssumeRole");
      assertThat(d.allowedBy()).singleElement().asString().startsWith("FleetScheduleRole.trust#");
    }).anySatisfy(d -> {
      assertThat(d.principal()).contains("FleetScheduleRole");
      assertThat(d.action()).isEqualTo("states:StartExecution");
      assertThat(d.allowed()).isTrue();
    });
    assertThat(report.stateNamesInOrder()).containsExactly("Enumerate Functions", "Describe Fleet Failure",
        "Notify Fleet Failure",
        "Fleet Run Failed");
    assertThat(report.states()).filteredOn(s -> s.name().equals("Notify Fleet Failure"))
        .allSatisfy(s -> assertThat(s.status()).isEqualTo("Succeeded"));
    assertThat(report.scans()).isZero();
    assertThat(report.coverage()).isNull();
    List<String> messages = pipeline.drainPublishedMessages();
    assertThat(messages).filteredOn(m -> m.contains("FleetRunFailed")).singleElement().asString()
        .contains("TerminalException").contains("s3:PutObject").contains(report.executionArn());
  }
}
