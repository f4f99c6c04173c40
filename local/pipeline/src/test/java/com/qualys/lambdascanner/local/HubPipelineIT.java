package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.TERMINAL;
import static com.qualys.lambdascanner.local.Paths.assertValidRecord;
import static com.qualys.lambdascanner.local.Paths.describe;
import static com.qualys.lambdascanner.local.Paths.lambdaErrors;
import static com.qualys.lambdascanner.local.Paths.output;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hub mode (docs/organizations.md): the scanner in account 123456789012, us-east-1, with SPOKE_ROLE_NAME and
 * SPOKE_EXTERNAL_ID set on resolve-target, fetch-credentials and run-qscanner; the target function in a spoke account
 * and another region, read through the spoke role (moto: credentials from sts:AssumeRole act in the role's account).
 * The events are the samples as the spoke's CloudTrail would deliver them (account and region moved).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubPipelineIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  /** A spoke account where templates/spoke.yaml was never deployed: STS refuses its role. */
  private static final String NO_ROLE_ACCOUNT = "310987654321";

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;

  @Test
  @Order(1)
  void execute_whenEventFromSpokeAccountAndRegion_expectationScannedThroughSpokeRole() {
    JsonNode event = spokeEvent("orders-api-spoke", PipelineSettings.SPOKE_ACCOUNT);
    String role = "arn:aws:iam::" + PipelineSettings.SPOKE_ACCOUNT + ":role/" + PipelineSettings.SPOKE_ROLE_NAME;
    int assumedBefore = pipeline.lambda().assumeRoleCalls(role);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    JsonNode target = output(report, "Resolve Target").path("target");
    assertThat(target.path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(target.path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    // Fetch Credentials hands on which role to assume (a reference, never credentials).
    assertThat(output(report, "Fetch Credentials").path("credentials").path("roleArn").asText()).isEqualTo(role);
    assertThat(pipeline.lambda().assumeRoleCalls(role) - assumedBefore).as("sts:AssumeRole of the spoke role")
        .isPositive();
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("target").path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(record.path("target").path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    assertThat(record.path("target").path("functionArn").asText())
        .startsWith("arn:aws:lambda:eu-west-1:210987654321:function:orders-api-spoke");
    assertThat(report.recordKey()).startsWith("results/account=210987654321/region=eu-west-1/");
    assertThat(report.recordBucket()).as("results land in the hub's bucket").isEqualTo(pipeline.bucket());
    assertValidRecord(record);
    assertThat(report.notification()).as("SNS message").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(Paths.executionName(report));
    // Exposure read through the spoke role (templates/spoke.yaml grants it): a closed function, every fact known.
    assertThat(record.path("exposure").toString()).as("exposure").doesNotContain("UNKNOWN").doesNotContain("YES");
  }

  @Test
  @Order(3)
  void execute_whenSpokeFunctionExposed_expectationFactsReadThroughSpokeRole() {
    JsonNode event = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", "exposed-spoke"),
        PipelineSettings.SPOKE_ACCOUNT, PipelineSettings.SPOKE_REGION);
    ExposedTargets.create(pipeline, event);
    spokeEvent("exposed-spoke", PipelineSettings.SPOKE_ACCOUNT);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    JsonNode exposure = report.record().path("exposure");
    assertThat(exposure.path("publicUrl").path("answer").asText()).as(exposure.toString()).isEqualTo("YES");
    assertThat(exposure.path("publicInvoke").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("adminRole").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("adminRole").path("evidence").toString()).contains("AdministratorAccess attached");
    assertThat(exposure.path("deprecatedRuntime").path("answer").asText()).isEqualTo("YES");
    assertValidRecord(report.record());
  }

  @Test
  @Order(2)
  void execute_whenSpokeRoleMissing_expectationFailedNamingTheRole() {
    String role = "arn:aws:iam::" + NO_ROLE_ACCOUNT + ":role/" + PipelineSettings.SPOKE_ROLE_NAME;
    pipeline.lambda().denyAssumeRole(role);
    JsonNode event = spokeEvent("orders-api-no-role", NO_ROLE_ACCOUNT);

    ExecutionReport report = leaks.register(pipeline.execute(event, LIMIT));

    assertThat(report.status()).as(describe(report)).isEqualTo("FAILED");
    assertThat(report.stateNames()).containsExactly("Resolve Target", "Record Failure", "Notify Failure",
        "Scan Failed");
    assertThat(lambdaErrors(report, "Resolve Target")).as("AccessDenied is not retried").containsExactly(TERMINAL);
    assertThat(pipeline.lambda().assumeRoleCalls(role)).isPositive();
    assertThat(report.record().path("status").asText()).isEqualTo("FAILED");
    assertThat(report.record().path("error").path("message").asText()).contains(role);
    assertValidRecord(report.record());
    assertThat(report.notification()).as("failure notification").isNotNull();
    assertThat(report.notification().path("Message").asText()).contains(role);
  }

  @Test
  @Order(100)
  void artifacts_afterHubRuns_expectationNoTokenOrAssumedCredentialAnywhere() {
    assertThat(leaks.executions()).hasSize(3);
    assertThat(pipeline.lambda().issuedSecrets()).as("the functions assumed the spoke role").isNotEmpty();

    Map<String, String> checked = leaks.assertNoSecretAnywhere();

    assertThat(checked.keySet()).anyMatch(k -> k.startsWith("history ")).anyMatch(k -> k.startsWith("log "))
        .anyMatch(k -> k.startsWith("s3 results/account=210987654321/")).anyMatch(k -> k.startsWith("sns message "));
  }

  @Test
  @Order(200)
  void localRun_whenModeHub_expectationSampleScannedFromSpokeAccount() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> settings = Map.of("MODE", "hub", "FORMAT", "json", "SCENARIO", "findings",
        "PROJECT_ROOT", Samples.projectRoot().toString());
    settings.forEach(System::setProperty);
    int exit;
    try {
      exit = LocalRun.run(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode run = Samples.json(out.toString(StandardCharsets.UTF_8));
    assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("executionArn").asText()).startsWith("arn:aws:states:us-east-1:123456789012:");
    JsonNode target = run.path("record").path("content").path("target");
    assertThat(target.path("accountId").asText()).isEqualTo(PipelineSettings.SPOKE_ACCOUNT);
    assertThat(target.path("region").asText()).isEqualTo(PipelineSettings.SPOKE_REGION);
    assertThat(run.path("record").path("key").asText()).startsWith("results/account=210987654321/region=eu-west-1/");
  }

  /** The sample as the spoke's CloudTrail delivers it, its target created in the spoke (account, eu-west-1). */
  private static JsonNode spokeEvent(String functionName, String account) {
    JsonNode event = LocalPipeline.relocate(
        Samples.renamed("eventbridge/update-function-code.json", "orders-api", functionName),
        account, PipelineSettings.SPOKE_REGION);
    assertThat(event.path("account").asText()).isEqualTo(account);
    assertThat(event.path("detail").path("responseElements").path("functionArn").asText())
        .startsWith("arn:aws:lambda:eu-west-1:" + account + ":function:" + functionName);
    pipeline.ensureTarget(event);
    return event;
  }
}
