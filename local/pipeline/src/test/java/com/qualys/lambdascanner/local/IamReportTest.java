package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make iam-report (local/pipeline/iam-report.py) on usage files as the emulator's Authorization writes them. */
class IamReportTest {

  @TempDir
  Path work;

  @Test
  void report_whenATestWasRefusedByADenyStatement_expectationTheDenyShowsRefusedByThatTest() throws Exception {
    String report = report("ResultsBucketPolicy#OnlyPipelineWritesClaims\ts3:PutObject\tStackPoliciesIT#put\trefused\n");

    assertThat(report).contains("| ResultsBucketPolicy | OnlyPipelineWritesClaims | refused: StackPoliciesIT#put |")
        .contains("| ResultsBucketPolicy | OnlyPipelineWritesReports | **none** |");
  }

  @Test
  void report_whenAStatementAllowedOneTestAndRefusedAnother_expectationBothShown() throws Exception {
    String report = report("""
        ResultsBucketPolicy#TlsOnly\ts3:GetObject\tA#allowed
        ResultsBucketPolicy#TlsOnly\ts3:GetObject\tB#refused\trefused
        """);

    assertThat(report).contains("| ResultsBucketPolicy | TlsOnly | A#allowed; refused: B#refused |");
  }

  @Test
  void report_whenTheUsageFileHasForeignLines_expectationTheyAreSkippedAndTheStatementStaysUnused() throws Exception {
    String report = report("""
        ResultsBucketPolicy#TlsOnly
        ResultsBucketPolicy#TlsOnly\ts3:GetObject\tA#a\tallowed-by-someone
        """);

    assertThat(report).contains("| ResultsBucketPolicy | TlsOnly | **none** |");
  }

  @Test
  void report_whenAStatementWithoutSidAllowedATest_expectationShownByItsPlace() throws Exception {
    String report = report("NotifyFunctionRole.trust#1\tsts:AssumeRole\tServicePrincipalsIT#register\n");

    assertThat(report).contains("| NotifyFunctionRole (trust) | (statement 1) | ServicePrincipalsIT#register |")
        .contains("| StoreResultsFunctionRole (trust) | (statement 1) | **none** |");
  }

  private String report(String usage) throws IOException, InterruptedException {
    Path file = Files.writeString(work.resolve("authz-usage.tsv"), usage);
    Process process = new ProcessBuilder(System.getProperty("python", "python3"),
        Samples.projectRoot().resolve("local/pipeline/iam-report.py").toString(), file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return out;
  }
}
