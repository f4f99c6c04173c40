package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.output;
import static com.qualys.lambdascanner.local.Scans.assertScanned;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exposure facts end to end, single-account mode (docs/result-record.md, "Exposure"): Resolve Target reads them with
 * the stack's own role, under the emulator's enforcement of template.yaml's policies, and Store Results keeps them in
 * the record. An exposed function (public Function URL, {@code *} resource policy, admin role, deprecated runtime) and
 * a closed one with the same findings: the facts say which is which, with evidence, and the exposed one ranks higher.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExposureIT {

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings");
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Scans scans;

  private static int closedRisk;

  @Test
  @Order(1)
  void execute_whenFunctionClosed_expectationEveryFactNo() {
    ExecutionReport report = scans.run(scans.target("closed-api"));

    assertScanned(report);
    JsonNode exposure = report.record().path("exposure");
    for (String fact : List.of("publicUrl", "publicInvoke", "crossAccountInvoke", "adminRole", "deprecatedRuntime")) {
      assertThat(exposure.path(fact).path("answer").asText()).as(fact + ": " + exposure.path(fact))
          .isEqualTo("NO");
    }
    assertThat(output(report, "Resolve Target").path("exposure").path("adminRole").path("answer").asText())
        .isEqualTo("NO");
    closedRisk = RecordRisk.of(report.record()).score();
    assertThat(RecordRisk.of(report.record()).summary()).startsWith("publicUrl NO, publicInvoke NO")
        .contains("exposure weight 0.85");
    assertThat(closedRisk).as("findings in the closed function").isPositive();
  }

  @Test
  @Order(2)
  void execute_whenFunctionPublicWithAdminRoleAndDeprecatedRuntime_expectationFactsWithEvidenceAndHigherRisk() {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "exposed-api");
    ExposedTargets.create(pipeline, event);

    ExecutionReport report = scans.run(scans.target("exposed-api"));

    assertScanned(report);
    JsonNode exposure = report.record().path("exposure");
    assertThat(exposure.path("publicUrl").path("answer").asText()).as(exposure.toString()).isEqualTo("YES");
    assertThat(exposure.path("publicUrl").path("evidence").toString()).contains("AuthType NONE");
    assertThat(exposure.path("publicInvoke").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("publicInvoke").path("evidence").toString())
        .contains("Sid internal-only").contains("Sid FunctionUrlPublicAccess");
    assertThat(exposure.path("crossAccountInvoke").path("answer").asText()).isEqualTo("NO");
    assertThat(exposure.path("adminRole").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("adminRole").path("evidence").toString())
        .contains("arn:aws:iam::aws:policy/AdministratorAccess attached")
        .contains("inline policy read-only-logs Sid ReadOnlyLogs: iam:* on any resource");
    assertThat(exposure.path("deprecatedRuntime").path("answer").asText()).isEqualTo("YES");
    assertThat(exposure.path("deprecatedRuntime").path("reason").asText()).contains("python3.9");

    assertThat(RecordRisk.of(report.record()).score()).as("the exposed function ranks higher, same findings")
        .isGreaterThan(closedRisk);
  }
}
