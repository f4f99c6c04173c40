package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QScannerCommandTest {

  private static final Path OUT = Path.of("/tmp/w/output");
  private static final Path CACHE = Path.of("/tmp/w/cache");
  private static final String DIGEST =
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:" + "ab".repeat(32);

  private final Config getReport =
      TestSupport.config(Path.of("/opt/bin/qscanner"), Path.of("/tmp"), "b", "arn", Config.GET_REPORT, "json");

  @Test
  void build_whenZipFunction_scansTheQualifiedArnWithAllFlags() {
    List<String> args =
        QScannerCommand.build(
            getReport, TestSupport.zipTarget("orders-api"), "US1", Duration.ofSeconds(120), OUT, CACHE);

    assertThat(args)
        .containsExactly(
            "/opt/bin/qscanner",
            "--pod", "US1",
            "--mode", "get-report",
            "--scan-types", "pkg,secret",
            "--format", "json,cyclonedx",
            "--report-format", "json",
            "--output-dir", "/tmp/w/output",
            "--cache-dir", "/tmp/w/cache",
            "--scan-timeout", "120s",
            "--max-network-retries", "4",
            "--network-retry-wait-min", "5s",
            "--network-retry-wait-max", "15s",
            "--log-level", "info",
            "lambda", "arn:aws:lambda:us-east-1:123456789012:function:orders-api:7");
  }

  @Test
  void build_whenJavaDbFreshAndQualifiedArnRefused_skipsTheUpdateAndScansTheUnqualifiedArn() {
    List<String> args =
        QScannerCommand.build(
            getReport, TestSupport.zipTarget("orders-api"), "US1",
            new QScannerCommand.Run(Duration.ofSeconds(120), OUT, CACHE, true, true));

    assertThat(String.join(" ", args))
        .contains("--skip-java-db-update=true")
        .endsWith("lambda arn:aws:lambda:us-east-1:123456789012:function:orders-api");
  }

  @Test
  void build_whenJavaDbNotFresh_letsQScannerUpdateIt() {
    List<String> args =
        QScannerCommand.build(
            getReport, TestSupport.zipTarget("orders-api"), "US1", Duration.ofSeconds(120), OUT, CACHE);

    assertThat(args).noneMatch(a -> a.startsWith("--skip-java-db-update"));
  }

  @Test
  void build_whenEvaluatePolicy_passesPolicyTags() {
    Config config =
        TestSupport.config(Path.of("/q"), Path.of("/tmp"), "b", "arn", Config.EVALUATE_POLICY, "sarif");

    List<String> args =
        QScannerCommand.build(config, TestSupport.zipTarget("f"), "EU2", Duration.ofSeconds(30), OUT, CACHE);

    assertThat(String.join(" ", args))
        .contains("--mode evaluate-policy --policy-tags prod,pci")
        .contains("--report-format sarif");
  }

  @Test
  void build_whenLatestVersion_scansTheUnqualifiedArn() {
    var target = TestSupport.imageTarget("f", null);
    var zipLatest =
        new com.qualys.lambdascanner.common.model.Target(
            "aws", target.accountId(), target.region(), "f", target.functionArn(), "$LATEST",
            com.qualys.lambdascanner.common.model.PackageType.ZIP, "java25", List.of(), "x", null, null, List.of(),
            "Active");

    assertThat(QScannerCommand.subject(zipLatest))
        .containsExactly("lambda", "arn:aws:lambda:us-east-1:123456789012:function:f");
  }

  @Test
  void subject_whenX86ImageFunction_scansTheDigestNotTheTag() {
    var arm = TestSupport.imageTarget("f", DIGEST);
    var x86 = new com.qualys.lambdascanner.common.model.Target(arm.partition(), arm.accountId(), arm.region(),
        arm.functionName(), arm.functionArn(), arm.version(), arm.packageType(), arm.runtime(), List.of("x86_64"),
        arm.codeSha256(), arm.imageUri(), arm.imageDigest(), arm.layers(), arm.state());

    assertThat(QScannerCommand.subject(x86)).containsExactly("image", DIGEST);
  }

  @Test
  void subject_whenArm64ImageFunction_passesThePlatform() {
    assertThat(QScannerCommand.subject(TestSupport.imageTarget("f", DIGEST)))
        .containsExactly("image", "--platform", "linux/arm64", DIGEST);
  }

  @Test
  void subject_whenImageFunctionWithoutDigest_invalidInput() {
    assertThatThrownBy(() -> QScannerCommand.subject(TestSupport.imageTarget("f", null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("imageDigest");
  }

  @Test
  void subject_whenImageDigestLooksLikeAFlag_invalidInput() {
    assertThatThrownBy(() -> QScannerCommand.subject(TestSupport.imageTarget("f", "--access-token=x")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void build_whenPodIsNotAPlatformName_invalidInput() {
    assertThatThrownBy(
            () ->
                QScannerCommand.build(
                    getReport, TestSupport.zipTarget("f"), "--gateway-url=x", Duration.ofSeconds(30), OUT, CACHE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("pod");
  }
}
