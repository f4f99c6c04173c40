package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Run QScanner against the stand-in playing what QScanner's README v4.8.0 says the binary does: report polling
 * bounded by the retry flags, java-db once per container, SPDX always written, a binary that refuses a qualified ARN.
 */
class ScannerContractIT {

  private static final AwsSessionCredentials SCANNER_AWS =
      AwsSessionCredentials.create("ASIAFAKEFAKEFAKEFAKE", "fake/secret+key", "fake-session-token");

  @RegisterExtension static final EnforcedAws AWS = EnforcedAws.stack().qualysSecret().build();

  /** The deployer's: reads back the reports. */
  private static S3Client s3;
  private static RunQScannerClients asRunQScanner;

  @TempDir Path dir;

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
    var secret = AWS.qualysSecret("{\"accessToken\": \"t-" + UUID.randomUUID() + "\"}");
    secretArn = secret.arn();
    secretVersion = secret.versionId();
    workRoot = Files.createDirectories(dir.resolve("tmp"));
  }

  private RunQScanner service(String scenario, String extraJson) throws IOException {
    Path qscanner =
        TestSupport.installStandIn(Files.createDirectories(dir.resolve("bin")), Map.of("fn", scenario), null, extraJson);
    Config config = TestSupport.config(qscanner, workRoot, bucket, secretArn, Config.GET_REPORT, "sarif");
    return new RunQScanner(
        config,
        new QualysSecretReader(asRunQScanner.secrets(), json, config),
        (scanId, target, refs, validFor) -> SCANNER_AWS,
        new EcrRegistryLogin(UrlConnectionHttpClient.create(), AWS.endpointUri()),
        new ReportUploader(asRunQScanner.s3()),
        TestSupport.unchangedCode(),
        new StructuredLog(json, logger),
        json.guard());
  }

  private ScanRequest request() {
    return new ScanRequest(
        "scan-" + UUID.randomUUID(),
        TestSupport.zipTarget("fn"),
        new CredentialRefs(secretArn, secretVersion, "US1", AuthKind.ACCESS_TOKEN, null));
  }

  /** The arguments the stand-in received, from the ScanResult it wrote (uploaded with the reports). */
  private List<String> arguments(ScanResult result) {
    String key = result.reportKeys().stream().filter(k -> k.endsWith("-ScanResult.json")).findFirst().orElseThrow();
    try {
      JsonNode scanResult =
          json.mapper().readTree(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
      return json.mapper().convertValue(scanResult.path("Metadata").path("Arguments"),
          json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void scan_whenTheBackendNeverAnswersInTime_partialWithTheInventoryNotAKill() throws IOException {
    // One modelled second lasts 0.2 s: the README's defaults (15 s, then 10 retries up to 120 s: 770 s) would poll
    // 154 s, far past this invocation's 30 s; the retries fitted to the budget stop polling after 15 s (3 s).
    RunQScanner sut = service("late-report", ", \"clockScale\": 0.2");

    ScanResult result = sut.scan(request(), 30_000);

    assertThat(result.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(result.exitCode()).isEqualTo(40);
    assertThat(result.message()).contains("exit 40");
    assertThat(result.reportKeys()).anyMatch(k -> k.endsWith("-ScanResult.json"));
    assertThat(arguments(result)).containsSubsequence("--max-network-retries", "0");
  }

  @Test
  void scan_whenTheBackendAnswersWithinTheFittedRetries_completed() throws IOException {
    // Ready 25 modelled seconds after collection: within the 2 retries the 60 s budget (the test configuration's
    // cap) gets: 15 + 5 + 7 s.
    RunQScanner sut = service("late-report", ", \"clockScale\": 0.02, \"reportReadyAfterSeconds\": 25");

    ScanResult result = sut.scan(request(), 600_000);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.counts()).isEqualTo(new SeverityCounts(1, 1, 2, 1, 1));
  }

  @Test
  void scan_whenTwoScansInOneContainer_javaDbDownloadedOnceThenCachedAndSkipped() throws IOException {
    RunQScanner sut = service("findings", "");

    ScanResult first = sut.scan(request(), 600_000);
    ScanResult second = sut.scan(request(), 600_000);

    assertThat(first.javaDb()).isEqualTo("DOWNLOADED");
    assertThat(arguments(first)).doesNotContain("--skip-java-db-update=true");
    assertThat(second.javaDb()).isEqualTo("CACHED");
    assertThat(arguments(second)).contains("--skip-java-db-update=true");
    // Only java-db survives a scan: no work folder, no token cache, nothing else of the scan's cache.
    try (var kept = Files.list(workRoot)) {
      assertThat(kept.map(p -> p.getFileName().toString())).containsExactly(JavaDbCache.FOLDER);
    }
    try (var kept = Files.list(workRoot.resolve(JavaDbCache.FOLDER))) {
      assertThat(kept.map(p -> p.getFileName().toString())).containsExactly("java-db");
    }
  }

  @Test
  void scan_whenJavaDbCannotBeDownloaded_offlineRecordedAndWarned() throws IOException {
    RunQScanner sut = service("findings", ", \"javaDbReachable\": false");

    ScanResult result = sut.scan(request(), 600_000);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.javaDb()).isEqualTo("OFFLINE");
    assertThat(logger.lines()).anyMatch(l -> l.contains("java-db unavailable") && l.contains("offline mode"));
  }

  @Test
  void scan_whenTheBinaryRefusesTheQualifiedArn_scansTheUnqualifiedOneAndSaysSo() throws IOException {
    RunQScanner sut = service("unqualified-only", "");

    ScanResult result = sut.scan(request(), 600_000);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.lambdaTarget()).isEqualTo("UNQUALIFIED");
    assertThat(arguments(result)).last().isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:fn");
    assertThat(result.counts()).isEqualTo(new SeverityCounts(1, 1, 2, 1, 1));
  }

  @Test
  void scan_whenTheQualifiedArnIsAccepted_qualifiedRecorded() throws IOException {
    ScanResult result = service("findings", "").scan(request(), 600_000);

    assertThat(result.lambdaTarget()).isEqualTo("QUALIFIED");
    assertThat(arguments(result)).last().isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:fn:7");
  }

  @Test
  void scan_whenSpdxNotAskedFor_theSpdxQScannerAlwaysWritesIsKept() throws IOException {
    ScanResult result = service("findings", "").scan(request(), 600_000);

    assertThat(result.reportKeys())
        .anyMatch(k -> k.endsWith("-ScanResult.spdx.json"))
        .anyMatch(k -> k.endsWith("-ScanResult.cyclonedx.json"));
    assertThat(com.qualys.lambdascanner.common.record.Sbom.among(result.reportKeys()).spdxKey()).isNotNull();
  }
}
