package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Hub and spoke end to end: the service runs as account 123456789012 in us-east-1 (moto's default identity for
 * the "testing" keys) and scans functions of account 210987654321 in eu-west-1 through the spoke role, which moto
 * lets anyone assume. The real stand-in is the child, behind a small wrapper that records the values of the AWS
 * variables it was given (the stand-in itself records names only) and, when asked, leaks them.
 */
class CrossAccountScanIT {

  private static final long PLENTY_MILLIS = 900_000;
  private static final String HOME = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String SPOKE_REGION = "eu-west-1";
  private static final String ROLE_NAME = "qualys-lambda-scanner-spoke";
  private static final String SPOKE_ROLE_ARN = "arn:aws:iam::" + SPOKE + ":role/" + ROLE_NAME;
  private static final String EXTERNAL_ID = "hub-external-id-cross-account-it";
  /** Every AssumeRole request sent to STS, as sent (issue 12: the session policy is what limits the child). */
  private static final List<AssumeRoleRequest> ASSUME_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Hub mode with the spoke's role rendered in SPOKE: every AssumeRole is checked against the trust it names. */
  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .hub(ROLE_NAME, EXTERNAL_ID, SPOKE)
      .qualysSecret()
      .build();

  /** The deployer's: reads back the reports. */
  private static S3Client s3;
  /** Run QScanner's own: sessions of its role (its STS client records what it asks). */
  private static RunQScannerClients asRunQScanner;
  private static StsClient sts;
  /** The stack's scan role in the hub account. */
  private static String scanRoleArn;

  @TempDir Path dir;

  private final String token = "qualys-token-" + UUID.randomUUID();
  private final String externalId = EXTERNAL_ID;
  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private String bucket;
  private String secretArn;
  private String secretVersion;
  private Path workRoot;
  private Path envFile;

  /** What the service handed qscanner and the registry login: the test seam for values. */
  private AwsCredentials handed;

  private AwsCredentials registryCredentials;

  @BeforeAll
  static void clients() {
    s3 = AWS.harness(S3Client.builder());
    sts = AWS.client(StsClient.builder()
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof AssumeRoleRequest request) {
              ASSUME_REQUESTS.add(request);
            }
          }
        })), RunQScannerClients.ROLE);
    asRunQScanner = RunQScannerClients.of(AWS, sts);
    scanRoleArn = AWS.role("ScanRole");
  }


  @BeforeEach
  void bucketAndSecret() throws IOException {
    bucket = AWS.bucket();
    var secret = AWS.qualysSecret("{\"accessToken\": \"" + token + "\"}");
    secretArn = secret.arn();
    secretVersion = secret.versionId();
    workRoot = Files.createDirectories(dir.resolve("tmp"));
    envFile = dir.resolve("child-aws-env.txt");
    ASSUME_REQUESTS.clear();
  }

  /** The production wiring of ScannerCredentials, against moto, with a recorder around it. */
  private RunQScanner service(String spokeRoleName, Map<String, String> scenarios, boolean leakAws) {
    Path qscanner = wrapper(TestSupport.installStandIn(mkdir("bin"), scenarios), leakAws);
    Config config =
        TestSupport.config(
            qscanner, workRoot, bucket, secretArn, Config.GET_REPORT, "json", spokeRoleName,
            spokeRoleName.isEmpty() ? "" : externalId);
    SpokeAccess spokes = new SpokeAccess(config.spoke(), sts.serviceClientConfiguration().region().id(), sts);
    ScannerCredentials real =
        new TargetCredentials(spokes, new ScanRoleCredentials(sts, scanRoleArn, List.of()),
            new AssumedRoleCredentials(spokes, List.of()));
    ScannerCredentials recording =
        new ScannerCredentials() {
          @Override
          public void check(Target target, CredentialRefs refs) {
            real.check(target, refs);
          }

          @Override
          public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
            handed = real.forTarget(scanId, target, refs, validFor);
            return handed;
          }
        };
    EcrRegistryLogin ecr = new EcrRegistryLogin(UrlConnectionHttpClient.create(), AWS.endpointUri());
    RegistryLogin recordingRegistry =
        (target, credentials) -> {
          registryCredentials = credentials;
          return ecr.environment(target, credentials);
        };
    return new RunQScanner(
        config,
        new QualysSecretReader(asRunQScanner.secrets(), json, config),
        recording,
        recordingRegistry,
        new ReportUploader(asRunQScanner.s3()),
        TestSupport.unchangedCode(),
        new StructuredLog(json, logger),
        json.guard());
  }

  private CredentialRefs refs(String roleArn) {
    return new CredentialRefs(secretArn, secretVersion, "US1", AuthKind.ACCESS_TOKEN, roleArn);
  }

  @Test
  void scan_whenTargetInSpokeAccount_qscannerGetsTheAssumedRoleAndTheTargetsRegion() throws IOException {
    String scanId = "scan-" + UUID.randomUUID();
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");

    ScanResult result =
        service(ROLE_NAME, Map.of(), false).scan(new ScanRequest(scanId, target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    // The credentials are the spoke role's session, acting in the spoke account, named after the scan.
    AwsSessionCredentials session = (AwsSessionCredentials) handed;
    assertThat(session.accessKeyId()).isNotEqualTo("testing");
    assertThat(session.secretAccessKey()).isNotEqualTo("testing");
    assertThat(identity(session).account()).isEqualTo(SPOKE);
    assertThat(identity(session).arn()).endsWith(":assumed-role/" + ROLE_NAME + "/" + scanId);
    // ... and exactly those values (and the target's region) are what the child got.
    assertThat(Files.readAllLines(envFile))
        .containsExactly(session.accessKeyId(), session.secretAccessKey(), session.sessionToken(), SPOKE_REGION);
    JsonNode scanResult = json.mapper().readTree(object(key(result, "-ScanResult.json")));
    List<String> names = new ArrayList<>();
    scanResult.at("/Metadata/EnvironmentNames").forEach(n -> names.add(n.asText()));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "QUALYS_ACCESS_TOKEN", "HOME", "TMPDIR", "PATH", "AWS_REGION", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    assertThat(scanResult.at("/Metadata/Arguments").toString())
        .contains("\"lambda\",\"arn:aws:lambda:eu-west-1:210987654321:function:spoke-fn:7\"");
    // Reports land in the hub's bucket (the function's own client), keyed by the spoke's account and region.
    assertThat(result.reportBucket()).isEqualTo(bucket);
    assertThat(result.reportKeys()).hasSize(4).allMatch(k -> k.startsWith("reports/210987654321/eu-west-1/spoke-fn/"));
    assertThat(logger.all())
        .contains("\"assumedRole\":\"" + SPOKE_ROLE_ARN + "\"")
        .doesNotContain(session.secretAccessKey())
        .doesNotContain(session.sessionToken());
    assertThat(json.toJson(result)).doesNotContain(session.secretAccessKey()).doesNotContain(session.sessionToken());
  }

  @Test
  void scan_whenScannerLeaksTheAssumedCredentials_theyAppearInNoResultLogOrUploadedObject() {
    RunQScanner sut = service(ROLE_NAME, Map.of("spoke-fn", "leak-token"), true);
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");

    ScanResult result = sut.scan(new ScanRequest("scan-leak", target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS);

    AwsSessionCredentials session = (AwsSessionCredentials) handed;
    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(json.toJson(result)).doesNotContain(session.secretAccessKey(), session.sessionToken(), token);
    assertThat(logger.all())
        .doesNotContain("stderrTail")
        .contains("maskedSecretsInReports")
        .doesNotContain(session.secretAccessKey())
        .doesNotContain(session.sessionToken())
        .doesNotContain(token);
    assertThat(result.reportKeys()).anyMatch(k -> k.endsWith("/leaked-aws.txt"));
    for (String key : result.reportKeys()) {
      assertThat(object(key)).doesNotContain(session.secretAccessKey(), session.sessionToken(), token);
    }
    assertThat(object(key(result, "leaked-aws.txt"))).contains("[REDACTED:aws-secret-key:plain]");
  }

  @Test
  void scan_whenScannerLeaksTheAssumedCredentialsAndFails_exceptionAndLogsRedacted() {
    RunQScanner sut = service(ROLE_NAME, Map.of("spoke-fn", "leak-token-error"), true);
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");

    assertThatThrownBy(() -> sut.scan(new ScanRequest("scan-leak-2", target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("qscanner exited 1")
        .hasMessageContaining("[REDACTED]")
        .satisfies(
            e -> {
              AwsSessionCredentials session = (AwsSessionCredentials) handed;
              assertThat(e.getMessage()).doesNotContain(session.secretAccessKey(), session.sessionToken(), token);
              assertThat(logger.all())
                  .doesNotContain(session.secretAccessKey())
                  .doesNotContain(session.sessionToken());
            });
  }

  @Test
  void scan_whenImageInSpokeAccount_pullTokenAskedWithTheAssumedRole() throws IOException {
    // Pushed to the spoke's own registry by its deployer; the stand-in pulls it with the spoke role's token.
    String digest = AWS.endpoint().registry().push(SPOKE, SPOKE_REGION, "orders", "v1", "arm64",
        Map.of("var/task/app.py", "def handler(e, c):\n    return 1\n")).reference();
    Target target = TestSupport.imageTarget(SPOKE, SPOKE_REGION, "orders-img", digest);
    int decisionsBefore = AWS.authorization().decisions().size();

    ScanResult result =
        service(ROLE_NAME, Map.of("orders", "findings"), false)
            .scan(new ScanRequest("scan-img", target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(registryCredentials).isSameAs(handed);
    assertThat(identity(handed).account()).isEqualTo(SPOKE);
    JsonNode scanResult = json.mapper().readTree(object(key(result, "-ScanResult.json")));
    assertThat(scanResult.at("/Metadata/EnvironmentNames").toString())
        .contains("QSCANNER_REGISTRY_USERNAME", "QSCANNER_REGISTRY_PASSWORD");
    assertThat(Files.readAllLines(envFile).getLast()).isEqualTo(SPOKE_REGION);
    // Manifest, config and layer pulled as the spoke role (its PullFunctionImages), narrowed to the target's repository.
    List<com.qualys.lambdascanner.emulator.Authorization.Decision> pulls = AWS.authorization().decisions()
        .subList(decisionsBefore, AWS.authorization().decisions().size()).stream()
        .filter(d -> d.resource().equals("arn:aws:ecr:" + SPOKE_REGION + ":" + SPOKE + ":repository/orders"))
        .toList();
    assertThat(pulls).extracting(com.qualys.lambdascanner.emulator.Authorization.Decision::action)
        .containsExactly("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetDownloadUrlForLayer");
    assertThat(pulls).allSatisfy(d -> {
      assertThat(d.allowed()).isTrue();
      assertThat(d.principal()).isEqualTo(SPOKE_ROLE_ARN);
      assertThat(d.allowedBy()).anyMatch(statement -> statement.endsWith("#PullFunctionImages"));
    });
    assertThat(AWS.endpoint().registry().issuedPasswords()).isNotEmpty()
        .allSatisfy(password -> assertThat(logger.all()).doesNotContain(password));
  }

  @Test
  void scan_whenHubModeAndTargetInOwnAccount_scanRoleNarrowedToTheTargetNeverTheFunctionsOwnRole() throws IOException {
    Target target = TestSupport.zipTarget("home-fn");

    ScanResult result =
        service(ROLE_NAME, Map.of(), false).scan(new ScanRequest("scan-home", target, refs(null)), PLENTY_MILLIS);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    // qscanner runs as the scan role's session, not as this function (whose role reads the Qualys secret).
    assertThat(handed.accessKeyId()).isNotEqualTo("testing");
    assertThat(identity(handed).arn())
        .endsWith(":assumed-role/" + scanRoleArn.substring(scanRoleArn.lastIndexOf('/') + 1) + "/scan-home");
    assertThat(Files.readAllLines(envFile).getFirst()).isEqualTo(handed.accessKeyId());
    assertThat(ASSUME_REQUESTS).singleElement().satisfies(r -> {
      assertThat(r.roleArn()).isEqualTo(scanRoleArn);
      assertOnlyTheTarget(r.policy(), target);
    });
    assertThat(logger.all()).doesNotContain("assumedRole");
  }

  @Test
  void scan_whenTargetInSpokeAccount_sessionPolicyNamesExactlyTheTarget() {
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");

    service(ROLE_NAME, Map.of(), false).scan(new ScanRequest("scan-scoped", target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS);

    // The policy sent, and what the emulator makes of it as AWS does (the intersection with the spoke role's): the
    // child's session reads the target and is refused every other function of the spoke account.
    assertThat(ASSUME_REQUESTS).singleElement().satisfies(r -> {
      assertThat(r.roleArn()).isEqualTo(SPOKE_ROLE_ARN);
      assertOnlyTheTarget(r.policy(), target);
    });
    try (LambdaClient asChild = LambdaClient.builder().endpointOverride(AWS.endpointUri())
        .region(Region.of(SPOKE_REGION)).credentialsProvider(StaticCredentialsProvider.create(handed))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> asChild.getFunction(b -> b.functionName(
          "arn:aws:lambda:" + SPOKE_REGION + ":" + SPOKE + ":function:another-fn")))
          .isInstanceOf(LambdaException.class)
          .hasMessageContaining("is not authorized to perform: lambda:GetFunction")
          .hasMessageContaining("because no session policy allows");
    }
  }

  /** Allows reading the target (any version) and nothing on any other function or service. */
  private void assertOnlyTheTarget(String policy, Target target) {
    assertThat(policy).as("a session policy is sent").isNotNull();
    JsonNode statements;
    try {
      statements = json.mapper().readTree(policy).path("Statement");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(statements).hasSize(1);
    JsonNode only = statements.get(0);
    assertThat(only.path("Effect").asText()).isEqualTo("Allow");
    assertThat(only.path("Action").toString())
        .isEqualTo("[\"lambda:GetFunction\",\"lambda:GetFunctionConfiguration\"]");
    assertThat(only.path("Resource").toString())
        .isEqualTo("[\"" + target.functionArn() + "\",\"" + target.functionArn() + ":*\"]");
  }

  @Test
  void scan_whenHubModeAndSpokeTargetWithoutRoleArn_terminalNamingBothAccounts() {
    RunQScanner sut = service(ROLE_NAME, Map.of(), false);
    // In the hub's own region, so the own account has to be asked of STS (GetCallerIdentity against moto).
    Target target = TestSupport.zipTarget(SPOKE, "us-east-1", "spoke-fn");

    assertThatThrownBy(() -> sut.scan(new ScanRequest("scan-norole", target, refs(null)), PLENTY_MILLIS))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("account " + SPOKE)
        .hasMessageContaining(HOME)
        .hasMessageContaining("credentials.roleArn is missing");
    assertThat(Files.exists(envFile)).isFalse();
    assertThat(workFolders()).isEmpty();
  }

  @Test
  void scan_whenSingleAccountModeAndRoleArn_terminalWithoutStartingAnything() {
    RunQScanner sut = service("", Map.of(), false);
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");

    assertThatThrownBy(() -> sut.scan(new ScanRequest("scan-single", target, refs(SPOKE_ROLE_ARN)), PLENTY_MILLIS))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("single-account mode");
    assertThat(handed).isNull();
    assertThat(Files.exists(envFile)).isFalse();
    assertThat(logger.lines()).isEmpty();
  }

  @Test
  void scan_whenRoleArnIsNotTheSpokeRole_invalidInputWithoutAssumingAnything() {
    RunQScanner sut = service(ROLE_NAME, Map.of(), false);
    Target target = TestSupport.zipTarget(SPOKE, SPOKE_REGION, "spoke-fn");
    String admin = "arn:aws:iam::" + SPOKE + ":role/OrganizationAccountAccessRole";

    assertThatThrownBy(() -> sut.scan(new ScanRequest("scan-forged", target, refs(admin)), PLENTY_MILLIS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("expected " + SPOKE_ROLE_ARN);
    assertThat(handed).isNull();
    assertThat(logger.lines()).isEmpty();
  }

  private static GetCallerIdentityResponse identity(AwsCredentials credentials) {
    try (StsClient asRole =
        StsClient.builder()
            .endpointOverride(AWS.moto().endpoint())
            .region(Region.of(SPOKE_REGION))
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .build()) {
      return asRole.getCallerIdentity();
    }
  }

  /**
   * A shell wrapper as QSCANNER_PATH: writes the AWS variables' values to {@link #envFile} (the stand-in records
   * names only), optionally leaks the secret key and session token to stdout, stderr and an extra output file,
   * then runs the stand-in with the same arguments.
   */
  private Path wrapper(Path standIn, boolean leakAws) {
    String leak =
        leakAws
            ? """
              echo "$AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN"
              echo "$AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN" >&2
              out=; prev=
              for a in "$@"; do [ "$prev" = --output-dir ] && out=$a; prev=$a; done
              mkdir -p "$out"
              printf '%s\\n%s\\n' "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" > "$out/leaked-aws.txt"
              """
            : "";
    String script =
        "#!/bin/sh\n"
            + "printf '%s\\n' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\" \"$AWS_REGION\""
            + " > '" + envFile + "'\n"
            + leak
            // The shell exports PWD; the environment the stand-in records must be the service's alone.
            + "unset PWD\n"
            + "exec '" + standIn + "' \"$@\"\n";
    try {
      Path path = standIn.resolveSibling("qscanner-wrapper");
      Files.writeString(path, script);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String key(ScanResult result, String suffix) {
    return result.reportKeys().stream().filter(k -> k.endsWith(suffix)).findFirst().orElseThrow();
  }

  private String object(String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
  }

  /** What scans left in TMPDIR besides the container's java-db, which is kept on purpose. */
  private List<Path> workFolders() {
    try (Stream<Path> entries = Files.list(workRoot)) {
      return entries.filter(p -> !p.getFileName().toString().equals(JavaDbCache.FOLDER)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path mkdir(String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
