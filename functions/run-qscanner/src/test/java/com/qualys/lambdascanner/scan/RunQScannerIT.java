package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.model.VulnerablePackage;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Run QScanner end to end: the real stand-in scanner as the child process, the secret in moto's Secrets Manager,
 * the reports uploaded to moto's S3.
 */
class RunQScannerIT {

  private static final long PLENTY_MILLIS = 900_000;

  /** What qscanner is handed as "its" AWS credentials: fake, but shaped like real temporary ones. */
  private static final AwsSessionCredentials SCANNER_AWS =
      AwsSessionCredentials.create(
          "ASIAFAKEFAKEFAKEFAKE",
          "fake/secret+access/key0123456789abcdefghij",
          "fake-session-token-" + UUID.randomUUID());

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack().qualysSecret().build();

  /** The deployer's: reads back the reports. */
  private static S3Client s3;
  private static RunQScannerClients asRunQScanner;

  @TempDir Path dir;

  private final String token = "qualys-token-" + UUID.randomUUID();
  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private String bucket;
  private String secretArn;
  private String secretVersion;
  private Path workRoot;

  @BeforeAll
  static void clients() {
    s3 = AWS.harness(S3Client.builder());
    asRunQScanner = RunQScannerClients.of(AWS);
  }


  @BeforeEach
  void bucketAndSecret() throws IOException {
    bucket = AWS.bucket();
    // The stack's secret, holding this test's token (a new AWSCURRENT version).
    var secret = AWS.qualysSecret("{\"accessToken\": \"" + token + "\"}");
    secretArn = secret.arn();
    secretVersion = secret.versionId();
    workRoot = Files.createDirectories(dir.resolve("tmp"));
  }

  /**
   * The scanner child gets {@link #SCANNER_AWS}: the stand-in makes no AWS request with them (CrossAccountScanIT runs
   * the real ScanRole session); an image target's registry login does, so it gets a real ScanRole session.
   */
  private RunQScanner service(Map<String, String> scenarios, String mode, String reportFormat) {
    return service(scenarios, mode, reportFormat, (scanId, target, refs, validFor) -> SCANNER_AWS);
  }

  private RunQScanner service(Map<String, String> scenarios, String mode, String reportFormat,
      ScannerCredentials scannerCredentials) {
    Path qscanner = TestSupport.installStandIn(mkdir("bin"), scenarios);
    Config config = TestSupport.config(qscanner, workRoot, bucket, secretArn, mode, reportFormat);
    return new RunQScanner(
        config,
        new QualysSecretReader(asRunQScanner.secrets(), json, config),
        scannerCredentials,
        new EcrRegistryLogin(UrlConnectionHttpClient.create(), AWS.endpointUri()),
        new ReportUploader(asRunQScanner.s3()),
        TestSupport.unchangedCode(),
        new StructuredLog(json, logger),
        json.guard());
  }

  private ScanResult scan(String scenario, String mode, String reportFormat) {
    return service(Map.of("fn", scenario), mode, reportFormat).scan(request("fn"), PLENTY_MILLIS);
  }

  private ScanRequest request(String functionName) {
    return new ScanRequest("scan-" + UUID.randomUUID(), TestSupport.zipTarget(functionName), refs());
  }

  private CredentialRefs refs() {
    return new CredentialRefs(secretArn, secretVersion, "US1", AuthKind.ACCESS_TOKEN, null);
  }

  @Test
  void scan_whenClean_completedAndReportsUploadedEncrypted() {
    ScanResult sut = scan("clean", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.exitCode()).isZero();
    assertThat(sut.scannerVersion()).isEqualTo("4.8.0-standin");
    assertThat(sut.counts()).isEqualTo(SeverityCounts.NONE);
    assertThat(sut.message()).isNull();
    assertThat(sut.reportBucket()).isEqualTo(bucket);
    // SPDX too, not asked for: QScanner writes it in every mode but inventory-only (README "Output Formats").
    assertThat(sut.reportKeys())
        .hasSize(4)
        .allMatch(k -> k.startsWith("reports/123456789012/us-east-1/fn/scan-"))
        .anyMatch(k -> k.endsWith("-ScanResult.cyclonedx.json"))
        .anyMatch(k -> k.endsWith("-ScanResult.spdx.json"))
        .anyMatch(k -> k.endsWith("-Report.json"))
        .anyMatch(k -> k.endsWith("-ScanResult.json"));
    for (String key : sut.reportKeys()) {
      HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
      // No encryption header of its own: the bucket's default, the stack's KMS key, applies.
      assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
      assertThat(head.ssekmsKeyId()).isEqualTo(AWS.keyArn());
      assertThat(head.contentType()).isEqualTo("application/json");
    }
    assertThat(workFolders()).isEmpty();
  }

  @Test
  void scan_whenFindings_countsBySeverityTopFindingsAndSecrets() {
    ScanResult sut = scan("findings", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(1, 1, 2, 1, 1));
    assertThat(sut.secretsFound()).isEqualTo(2);
    assertThat(sut.topFindings()).hasSize(6);
    assertThat(sut.topFindings().getFirst())
        .isEqualTo(
            new Finding(
                "376657",
                List.of("CVE-2021-44228", "CVE-2021-45046"),
                5,
                "Apache Log4j Remote Code Execution (Log4Shell)",
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                "2.17.1",
                100,
                List.of(
                    new VulnerablePackage(
                        "org.apache.logging.log4j:log4j-core", "2.14.1", "2.17.1", null),
                    new VulnerablePackage(
                        "org.apache.logging.log4j:log4j-api", "2.14.1", "2.17.1", null))));
  }

  @Test
  void scan_whenSarifConfigured_parsesTheSarifReport() {
    ScanResult sut = scan("findings", Config.GET_REPORT, "sarif");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(1, 1, 2, 1, 1));
    assertThat(sut.reportKeys()).anyMatch(k -> k.endsWith("-Report.sarif.json"));
  }

  @Test
  void scan_whenCleanInEvaluatePolicy_policyAllow() {
    assertThat(scan("clean", Config.EVALUATE_POLICY, "json").outcome()).isEqualTo(Outcome.POLICY_ALLOW);
  }

  @Test
  void scan_whenDeny_policyDenyWithCounts() {
    ScanResult sut = scan("deny", Config.EVALUATE_POLICY, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.POLICY_DENY);
    assertThat(sut.exitCode()).isEqualTo(42);
    assertThat(sut.counts().urgent()).isEqualTo(1);
  }

  @Test
  void scan_whenAudit_policyAudit() {
    ScanResult sut = scan("audit", Config.EVALUATE_POLICY, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.POLICY_AUDIT);
    assertThat(sut.exitCode()).isEqualTo(43);
  }

  @Test
  void scan_whenPartial_partialWithReasonAndScanResultUploaded() {
    ScanResult sut = scan("partial", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(sut.exitCode()).isEqualTo(40);
    assertThat(sut.message()).contains("exit 40");
    assertThat(sut.reportKeys()).hasSize(3).anyMatch(k -> k.endsWith("-ScanResult.json"))
        .anyMatch(k -> k.endsWith("-ScanResult.cyclonedx.json")).anyMatch(k -> k.endsWith("-ScanResult.spdx.json"));
    assertThat(sut.findingsIndexKey()).as("no report, no index").isNull();
  }

  @Test
  void scan_whenReportMissing_partialNotACrash() {
    ScanResult sut = scan("no-report", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(sut.exitCode()).isZero();
    assertThat(sut.message()).contains("no Report.json file");
  }

  @Test
  void scan_whenReportTruncated_partialWithReason() {
    ScanResult sut = scan("bad-report", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(sut.message()).contains("-Report.json is unreadable after 1 findings");
    assertThat(sut.reportKeys()).hasSize(4); // ScanResult, CycloneDX, SPDX, the truncated report
  }

  @Test
  void scan_whenFilesNamedWithUnderscore_readsThem() {
    ScanResult sut = scan("underscore-names", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.scannerVersion()).isEqualTo("4.8.0-standin");
    assertThat(sut.counts().total()).isEqualTo(6);
  }

  @Test
  void scan_whenConfigError_terminalWithExitCode() {
    assertThatThrownBy(() -> scan("config-error", Config.GET_REPORT, "json"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("qscanner exited 2: invalid parameter");
    assertThat(workFolders()).isEmpty();
  }

  @Test
  void scan_whenArtifactError_terminalNamingGetFunctionPermission() {
    assertThatThrownBy(() -> scan("artifact-error", Config.GET_REPORT, "json"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("qscanner exited 10")
        .hasMessageContaining("lambda:GetFunction")
        .hasMessageContaining("AccessDeniedException");
  }

  @Test
  void scan_whenOutputUploadFailed_retryable() {
    assertThatThrownBy(() -> scan("retryable", Config.GET_REPORT, "json"))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("qscanner exited 33");
  }

  @Test
  void scan_whenGenericError_terminal() {
    assertThatThrownBy(() -> scan("error", Config.GET_REPORT, "json"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("qscanner exited 1: generic error");
  }

  @Test
  void scan_whenScannerHangs_scanTimeoutAndNoProcessLeft() throws Exception {
    Path bin = mkdir("bin");
    Path qscanner = TestSupport.installStandIn(bin, Map.of("fn", "hang"));
    Config base = TestSupport.config(qscanner, workRoot, bucket, secretArn, Config.GET_REPORT, "json");
    // The invocation has 3.5 s left: 1 s margin leaves a 2 s scan (+1 s grace) before the tree is killed.
    RunQScanner sut =
        new RunQScanner(
            base,
            new QualysSecretReader(asRunQScanner.secrets(), json, base),
            (scanId, target, refs, validFor) -> SCANNER_AWS,
            new EcrRegistryLogin(UrlConnectionHttpClient.create(), AWS.endpointUri()),
            new ReportUploader(asRunQScanner.s3()),
            TestSupport.unchangedCode(),
            new StructuredLog(json, logger),
        json.guard());

    assertThatThrownBy(() -> sut.scan(request("fn"), 3_500)).isInstanceOf(ScanTimeoutException.class);

    List<Long> pids = ScannerProcessTest.pids(bin.resolve("hang.pids"));
    assertThat(pids).hasSize(2);
    assertThat(TestSupport.stillRunning(pids)).isEmpty();
    assertThat(logger.all()).contains("TIMED_OUT").contains("\"scanTimeoutSeconds\":2");
    assertThat(workFolders()).isEmpty();
  }

  @Test
  void scan_whenScannerLeaksTheToken_tokenInNoResultLogOrUploadedFile() {
    ScanResult sut = scan("leak-token", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(json.toJson(sut)).doesNotContain(token);
    assertThat(logger.all())
        .contains("qscanner finished")
        .doesNotContain("stderrTail")
        .contains("maskedSecretsInReports")
        .doesNotContain(token)
        .doesNotContain(SCANNER_AWS.secretAccessKey())
        .doesNotContain(SCANNER_AWS.sessionToken());
    for (String key : sut.reportKeys()) {
      assertThat(object(key)).doesNotContain(token);
    }
    assertThat(sut.reportKeys().stream().map(this::object))
        .anyMatch(text -> text.contains("[REDACTED:qualys-token:plain]"));
  }

  @Test
  void scan_whenScannerLeaksTheTokenAndFails_exceptionMessageRedacted() {
    assertThatThrownBy(() -> scan("leak-token-error", Config.GET_REPORT, "json"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("[REDACTED]")
        .hasMessageNotContaining(token)
        .satisfies(e -> assertThat(logger.all()).doesNotContain(token).contains("stderrTail"));
  }

  @Test
  void scan_whenScannerLeaksEncodedSecretsAndFails_noFormInTheMessageOrTheLog() {
    // The stand-in writes the token URL-encoded and split across lines, the AWS secret key in base64 after "AWS:",
    // JSON-escaped, and the session token as an X-Amz-Security-Token header (issue 12, item 5).
    String aws64 = java.util.Base64.getEncoder()
        .encodeToString(("AWS:" + SCANNER_AWS.secretAccessKey()).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> scan("leak-encoded-error", Config.GET_REPORT, "json"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("[REDACTED]")
        .satisfies(e -> {
          for (String text : List.of(e.getMessage(), logger.all())) {
            assertThat(text)
                .doesNotContain(token.substring(4, 20))
                .doesNotContain(token.substring(token.length() - 16))
                .doesNotContain(aws64.substring(8, 40))
                .doesNotContain("secret\\/access")
                .doesNotContain("secret%2Baccess")
                .doesNotContain(SCANNER_AWS.sessionToken().substring(19));
          }
        });
  }

  @Test
  void scan_always_givesQScannerOnlyTheEnvironmentItNeeds() throws IOException {
    ScanResult sut = scan("clean", Config.GET_REPORT, "json");

    JsonNode scanResult = json.mapper().readTree(object(key(sut, "-ScanResult.json")));
    List<String> names = new ArrayList<>();
    scanResult.at("/Metadata/EnvironmentNames").forEach(n -> names.add(n.asText()));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "QUALYS_ACCESS_TOKEN",
            "HOME",
            "TMPDIR",
            "PATH",
            "AWS_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN");
    String arguments = scanResult.at("/Metadata/Arguments").toString();
    assertThat(arguments)
        .contains("\"--scan-timeout\",\"60s\"")
        .contains("\"lambda\",\"arn:aws:lambda:us-east-1:123456789012:function:fn:7\"")
        .doesNotContain(token);
    assertThat(scanResult.at("/Metadata/Target/Region").asText()).isEqualTo("us-east-1");
  }

  @Test
  void scan_whenClientCredentialsSecret_passesTheClientPair() throws IOException {
    var secret = AWS.qualysSecret("{\"clientId\": \"client-id-0001\", \"clientSecret\": \"" + token + "\"}");
    secretArn = secret.arn();
    secretVersion = secret.versionId();

    ScanResult sut = scan("clean", Config.GET_REPORT, "json");

    String scanResult = object(key(sut, "-ScanResult.json"));
    assertThat(scanResult).contains("QUALYS_CLIENT_ID", "QUALYS_CLIENT_SECRET").doesNotContain("QUALYS_ACCESS_TOKEN");
  }

  @Test
  void scan_whenRefsNameAnotherSecret_invalidInputWithoutStartingTheScanner() {
    RunQScanner sut = service(Map.of(), Config.GET_REPORT, "json");
    ScanRequest request =
        new ScanRequest(
            "scan-1",
            TestSupport.zipTarget("fn"),
            new CredentialRefs(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:someone-elses-AbCdEf",
                null,
                "US1",
                AuthKind.ACCESS_TOKEN,
                null));

    assertThatThrownBy(() -> sut.scan(request, PLENTY_MILLIS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("QUALYS_SECRET_ARN");
    assertThat(logger.lines()).isEmpty();
  }

  @Test
  void scan_whenTargetDisagreesWithItsArn_invalidInput() {
    RunQScanner sut = service(Map.of(), Config.GET_REPORT, "json");
    Target fn = TestSupport.zipTarget("fn");
    Target forged =
        new Target(
            fn.partition(), "999999999999", fn.region(), fn.functionName(), fn.functionArn(), fn.version(),
            fn.packageType(), fn.runtime(), fn.architectures(), fn.codeSha256(), null, null, List.of(), "Active");

    assertThatThrownBy(() -> sut.scan(new ScanRequest("scan-2", forged, refs()), PLENTY_MILLIS))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void scan_whenImageFunction_scansTheDigestWithAnEcrPullToken() throws IOException {
    // The image as the deployer pushed it: the stand-in pulls it from the emulator's registry (every layer, verified).
    String digest = AWS.endpoint().registry().push("123456789012", "us-east-1", "orders", "v1", "arm64",
        Map.of("var/task/app.py", "def handler(e, c):\n    return 1\n", "var/task/util.py", "X = 1\n")).reference();
    RunQScanner sut = service(Map.of("orders", "findings"), Config.GET_REPORT, "json",
        asRunQScanner.scanRole(AWS));
    int decisionsBefore = AWS.authorization().decisions().size();

    ScanResult result =
        sut.scan(new ScanRequest("scan-img", TestSupport.imageTarget("orders-img", digest), refs()), PLENTY_MILLIS);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.counts().total()).isEqualTo(6);
    assertThat(result.reportKeys()).allMatch(k -> k.startsWith("reports/123456789012/us-east-1/orders-img/scan-img/"));
    JsonNode scanResult = json.mapper().readTree(object(key(result, "-ScanResult.json")));
    // An arm64 image (TestSupport's): the platform is passed, and the stand-in accepted and recorded it.
    assertThat(scanResult.at("/Metadata/Arguments").toString())
        .contains("\"image\",\"--platform\",\"linux/arm64\",\"" + digest + "\"");
    assertThat(scanResult.at("/Metadata/Platform").asText()).isEqualTo("linux/arm64");
    assertThat(scanResult.at("/Metadata/EnvironmentNames").toString())
        .contains("QSCANNER_REGISTRY_USERNAME", "QSCANNER_REGISTRY_PASSWORD");
    // The manifest, the config and the layer pulled with the token, as ScanRole's session narrowed to the target.
    String repository = "arn:aws:ecr:us-east-1:123456789012:repository/orders";
    List<Authorization.Decision> pulls = AWS.authorization().decisions()
        .subList(decisionsBefore, AWS.authorization().decisions().size()).stream()
        .filter(d -> d.resource().equals(repository)).toList();
    assertThat(pulls).extracting(Authorization.Decision::action)
        .containsExactly("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetDownloadUrlForLayer");
    assertThat(pulls).allSatisfy(d -> {
      assertThat(d.allowed()).isTrue();
      assertThat(d.principal()).isEqualTo(AWS.role("ScanRole"));
      assertThat(d.allowedBy()).anyMatch(s -> s.endsWith("#PullTargetImages"));
    });
    // The registry password: only in qscanner's environment.
    List<String> passwords = AWS.endpoint().registry().issuedPasswords();
    assertThat(passwords).isNotEmpty();
    assertThat(passwords).allSatisfy(password -> {
      assertThat(logger.all()).doesNotContain(password);
      assertThat(json.toJson(result)).doesNotContain(password);
    });
  }

  @Test
  void scan_whenImageInARepositoryTheRoleMayNotPull_terminalImageArtifactFailureWithoutTheToken() {
    // Another account's registry: ScanRole may pull only from its own account's (ImageRepositoryArns is empty), and
    // that repository has no policy for it. The token is the role's; the registry refuses the pull as IAM would.
    String digest = AWS.endpoint().registry().push("444455556666", "us-east-1", "orders", "v1", "arm64",
        Map.of("var/task/app.py", "x = 1\n")).reference();
    RunQScanner sut = service(Map.of("orders", "findings"), Config.GET_REPORT, "json",
        asRunQScanner.scanRole(AWS));

    assertThatThrownBy(() -> sut.scan(
        new ScanRequest("scan-img-refused", TestSupport.imageTarget("orders-img", digest), refs()), PLENTY_MILLIS))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("qscanner exited 6: artifact failed: image")
        .hasMessageContaining("403 DENIED")
        .satisfies(e -> assertThat(AWS.endpoint().registry().issuedPasswords())
            .noneMatch(password -> e.getMessage().contains(password)));
    assertThat(AWS.authorization().decisions()).anySatisfy(d -> {
      assertThat(d.action()).isEqualTo("ecr:BatchGetImage");
      assertThat(d.resource()).isEqualTo("arn:aws:ecr:us-east-1:444455556666:repository/orders");
      assertThat(d.principal()).isEqualTo(AWS.role("ScanRole"));
      assertThat(d.allowed()).isFalse();
    });
  }

  @Test
  void scan_whenHugeReport_parsedAndUploaded() {
    ScanResult sut = scan("huge-report", Config.GET_REPORT, "json");

    assertThat(sut.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(sut.counts().total()).isEqualTo(40_000);
    assertThat(sut.topFindings()).hasSize(ReportParser.TOP_FINDINGS).allMatch(f -> f.severity() == 5);
    String reportKey = key(sut, "-Report.json");
    assertThat(s3.headObject(r -> r.bucket(bucket).key(reportKey)).contentLength()).isGreaterThan(45_000_000L);
  }

  @Test
  void handleRequest_withTheSampleEvent_returnsAScanResult() throws IOException {
    RunQScanner service = service(Map.of("orders-api", "findings"), Config.GET_REPORT, "json");
    String event =
        Files.readString(TestSupport.projectRoot().resolve("events/run-qscanner/request.json"))
            .replace(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-lambda-scanner/qualys-AbCdEf", secretArn)
            .replace("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", secretVersion);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new RunQScannerHandler(service, json)
        .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);

    ScanResult result = json.mapper().readValue(out.toByteArray(), ScanResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.counts().total()).isEqualTo(6);
    assertThat(result.reportKeys())
        .allMatch(k -> k.startsWith("reports/123456789012/us-east-1/orders-api/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f/"));
  }

  private String key(ScanResult result, String suffix) {
    return result.reportKeys().stream().filter(k -> k.endsWith(suffix)).findFirst().orElseThrow();
  }

  private String object(String key) {
    ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    return bytes.asUtf8String();
  }

  /** What scans left in TMPDIR besides the container's java-db, which is kept on purpose. */
  private List<Path> workFolders() {
    try (Stream<Path> entries = Files.list(workRoot)) {
      return entries.filter(p -> !p.getFileName().toString().equals(JavaDbCache.FOLDER)).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path mkdir(String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
