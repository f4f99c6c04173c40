package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Scans that must not end as a clean verdict, against real functions in moto: the code check read through the real
 * SDK with the credentials qscanner gets, while the stand-in (scenario change-code) deploys new code to the target in
 * the middle of its scan; and SARIF reports in the shapes Qualys's integrations read, or in none the parser knows.
 */
class ScanIntegrityIT {

  @RegisterExtension static final EnforcedAws AWS = EnforcedAws.stack().qualysSecret().build();

  /** The deployer's: creates, updates and deletes the targets. */
  private static LambdaClient lambda;
  private static RunQScannerClients asRunQScanner;
  private static String role;

  @TempDir Path dir;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private String bucket;
  private CredentialRefs refs;

  @BeforeAll
  static void clients() {
    lambda = AWS.harness(LambdaClient.builder());
    asRunQScanner = RunQScannerClients.of(AWS);
    role = AWS.moto().createLambdaRole("scan-integrity-it-" + UUID.randomUUID().toString().substring(0, 8), "testing",
        TestSupport.ACCOUNT);
  }


  @BeforeEach
  void bucketAndSecret() {
    bucket = AWS.bucket();
    var secret = AWS.qualysSecret("{\"accessToken\": \"t-" + UUID.randomUUID() + "\"}");
    refs = new CredentialRefs(secret.arn(), secret.versionId(), "US1", AuthKind.ACCESS_TOKEN, null);
  }

  @Test
  void scan_whenCodeDeployedDuringTheScan_codeChangedAndNoVerdict() {
    Target target = createFunction("deployed-mid-scan");

    ScanResult sut = scan(target, "change-code");

    assertThat(sut.outcome()).isEqualTo(Outcome.CODE_CHANGED);
    assertThat(sut.message())
        .contains("code changed during the scan")
        .contains(target.codeSha256())
        .contains(currentSha(target));
    // The stand-in reported six findings on code nobody resolved: none is kept as a verdict.
    assertThat(sut.counts()).isEqualTo(SeverityCounts.NONE);
    assertThat(sut.topFindings()).isEmpty();
    assertThat(sut.reportKeys()).as("the raw reports stay, for whoever looks").isNotEmpty();
    assertThat(logger.all()).contains("code changed during the scan");
  }

  @Test
  void scan_whenCodeUnchanged_verdictKept() {
    Target target = createFunction("steady");

    ScanResult sut = scan(target, "findings");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.counts().total()).isEqualTo(6);
  }

  @Test
  void scan_whenCodeChangedSinceItWasResolved_qscannerNotStarted() throws IOException {
    Target target = createFunction("moved-before-scan");
    lambda.updateFunctionCode(b -> b.functionName(target.functionName()).zipFile(zip("v2")));

    ScanResult sut = scan(target, "findings");

    assertThat(sut.outcome()).isEqualTo(Outcome.CODE_CHANGED);
    assertThat(sut.exitCode()).isEqualTo(-1);
    assertThat(sut.message()).contains("changed after it was resolved").contains(currentSha(target));
    assertThat(sut.reportKeys()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("tmp");
    }
  }

  @Test
  void scan_whenFunctionDeletedBeforeTheScan_codeChangedNothingScanned() {
    Target target = createFunction("deleted-before-scan");
    lambda.deleteFunction(b -> b.functionName(target.functionName()));

    ScanResult sut = scan(target, "findings");

    assertThat(sut.outcome()).isEqualTo(Outcome.CODE_CHANGED);
    assertThat(sut.message()).contains("no longer exists");
  }

  @Test
  void scan_whenSarifSeverityOnlyOnTheRules_countedThroughTheRules() {
    ScanResult sut = scan(createFunction("rule-severity"), "rule-severity");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(1, 1, 2, 1, 1));
    assertThat(sut.findingsUnmapped()).isFalse();
    assertThat(sut.topFindings().getFirst().qid()).isEqualTo("376657");
    assertThat(sut.topFindings().getFirst().packageName()).isEqualTo("org.apache.logging.log4j:log4j-core");
  }

  @Test
  void scan_whenSarifResultsCannotBeMapped_partialNeverACleanSucceeded() {
    ScanResult sut = scan(createFunction("unmapped"), "unmapped-report");

    assertThat(sut.exitCode()).isZero();
    assertThat(sut.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(sut.message()).contains("holds 6 of 6 results the parser could not map");
  }

  @Test
  void scan_whenPolicyDeniesAndNoFindingCanBeRead_denyKeptAndSaysSo() {
    ScanResult sut = scan(createFunction("deny-unmapped"), "deny-unmapped", Config.EVALUATE_POLICY);

    // The policy verdict is Qualys's and stands; the record says its findings were not understood.
    assertThat(sut.outcome()).isEqualTo(Outcome.POLICY_DENY);
    assertThat(sut.message())
        .contains("results the parser could not map")
        .contains("the policy denied this code but no finding in the report could be read");
    assertThat(sut.findingsUnmapped()).as("the typed signal Store Results releases the claim on").isTrue();
  }

  private ScanResult scan(Target target, String scenario) {
    return scan(target, scenario, Config.GET_REPORT);
  }

  private ScanResult scan(Target target, String scenario, String mode) {
    // The stand-in's mid-scan deploy is the deployer's, straight to moto.
    Path qscanner = TestSupport.installStandIn(
        mkdir("bin"), Map.of(target.functionName(), scenario), AWS.moto().endpoint());
    Config config = TestSupport.config(qscanner, dir.resolve("tmp"), bucket, refs.secretArn(), mode, "sarif");
    RunQScanner service = new RunQScanner(
        config,
        new QualysSecretReader(asRunQScanner.secrets(), json, config),
        // The code check reads the target as the scanner child would: a ScanRole session with its session policy.
        asRunQScanner.scanRole(AWS),
        (t, credentials) -> Map.of(),
        new ReportUploader(asRunQScanner.s3()),
        new CodeChangeCheck(new LambdaTargetCode(UrlConnectionHttpClient.create(), AWS.endpointUri())),
        new StructuredLog(json, logger),
        json.guard());
    return service.scan(new ScanRequest("scan-" + UUID.randomUUID(), target, refs), 900_000);
  }

  /** A Zip function in moto and the target Resolve Target would make of it. */
  private Target createFunction(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    SdkBytes code = zip("v1");
    lambda.createFunction(b -> b.functionName(name).role(role).runtime("python3.12").handler("index.handler")
        .code(c -> c.zipFile(code)));
    var created = lambda.getFunctionConfiguration(b -> b.functionName(name));
    return new Target("aws", TestSupport.ACCOUNT, TestSupport.REGION, name, created.functionArn(), "$LATEST",
        PackageType.ZIP, "python3.12", List.of("x86_64"), created.codeSha256(), null, null, List.of(), "Active");
  }

  private static String currentSha(Target target) {
    return lambda.getFunctionConfiguration(b -> b.functionName(target.functionName())).codeSha256();
  }

  private static SdkBytes zip(String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("index.py"));
      out.write(("# " + content + "\ndef handler(event, context):\n    return event\n").getBytes());
      out.closeEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }

  private Path mkdir(String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
