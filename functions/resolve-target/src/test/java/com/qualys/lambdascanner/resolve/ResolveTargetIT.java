package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Decision.Action;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionContentInput;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Resolve Target against moto through the real SDK clients, as its own role (the stack's IAM enforced, hub mode): real
 * functions, layers and images, real conditional writes. Events are the samples in {@code events/}, with the function names made unique.
 */
class ResolveTargetIT {

  /** The test clock starts at the real time: a claim's age is S3's LastModified, which the emulator sets. */
  private static final Instant T0 = Instant.now();
  /** moto's default account: the one the static "testing" credentials act in. */
  private static final String HUB = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String SPOKE_ROLE = "qualys-lambda-scanner-spoke";
  private static final String EXTERNAL_ID = "resolve-target-it-external-id";

  /** Hub mode with the spoke's role rendered in SPOKE: both kinds of target are resolved as deployed. */
  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .hub(SPOKE_ROLE, EXTERNAL_ID, SPOKE)
      .build();

  private static SdkHttpClient http;
  /** The deployer's: creates functions and layers, reads and seeds claims, sets up the spoke account. */
  private static LambdaClient lambda;
  private static S3Client s3;
  private static StsClient sts;
  /** Resolve Target's own: sessions of its role. */
  private static S3Client resolveS3;
  private static StsClient resolveSts;
  private static String role;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String apiName = "orders-api-" + suffix;
  private final String imageName = "orders-image-" + suffix;
  private String bucket;
  private Instant now = T0;

  @BeforeAll
  static void clients() {
    http = UrlConnectionHttpClient.create();
    lambda = AWS.harness(LambdaClient.builder());
    s3 = AWS.harness(S3Client.builder());
    sts = AWS.harness(StsClient.builder());
    resolveS3 = AWS.client(S3Client.builder(), "ResolveTargetFunctionRole");
    resolveSts = AWS.client(StsClient.builder(), "ResolveTargetFunctionRole");
    role = AWS.moto().createLambdaRole("resolve-target-it-" + UUID.randomUUID().toString().substring(0, 8), "testing",
        HUB);
  }

  @AfterAll
  static void closeHttp() {
    http.close();
  }

  @BeforeEach
  void bucket() {
    bucket = AWS.bucket();
  }

  private ResolveTarget sut(Duration ttl) {
    return sut(ttl, new Config(bucket, "QualysScan", null, ttl, "us-east-1"), resolveSts);
  }

  private ResolveTarget sut(Duration ttl, Config config, StsClient stsClient) {
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneId.of("UTC");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    return new ResolveTarget(
        config,
        new LambdaFunctionDescriber(new LambdaClients(ResolveTargetIT::lambdaIn), new TargetAccess(config, stsClient)),
        new FakeExposureReader(),
        new S3ClaimStore(resolveS3, bucket, ttl, config.rescanAfter(), clock, json),
        new StructuredLog(json, logger),
        clock);
  }

  private ResolveTarget sut() {
    return sut(Duration.ofHours(1));
  }

  private ObjectNode sample(String file) {
    return Samples.event(file, "orders-api", apiName).deepCopy();
  }

  @Test
  void resolve_whenFunctionCreated_scansWhatLambdaReportsAndClaims() {
    String layer = publishLayer("shared-libs-" + suffix, "v1");
    GetFunctionResponse created = createZipFunction(apiName, "v1", List.of(layer), Map.of("team", "orders"));

    ResolvedScan resolved = sut().resolve(sample("eventbridge/create-function.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().functionArn()).isEqualTo(created.configuration().functionArn());
    assertThat(resolved.target().codeSha256()).isEqualTo(created.configuration().codeSha256());
    assertThat(resolved.target().runtime()).isEqualTo("java21");
    assertThat(resolved.target().packageType()).isEqualTo(PackageType.ZIP);
    assertThat(resolved.target().architectures()).containsExactly("x86_64");
    assertThat(resolved.target().layers()).hasSize(1);
    assertThat(resolved.target().layers().getFirst().arn()).isEqualTo(layer);
    assertThat(resolved.target().layers().getFirst().codeSha256()).isNotBlank();
    JsonNode claim = claim(resolved.dedupKey());
    assertThat(claim.path("status").asText()).isEqualTo("CLAIMED");
    assertThat(claim.path("scanId").asText()).isEqualTo(resolved.scanId());
    assertThat(claim.path("dedupKey").asText()).isEqualTo(resolved.dedupKey());
    assertThat(Instant.parse(claim.path("expiresAt").asText())).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void resolve_whenFunctionCreated_neverKeepsThePresignedCodeLocation() throws IOException {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new ResolveTargetHandler(sut(), json)
        .handleRequest(new java.io.ByteArrayInputStream(json.toJson(sample("eventbridge/create-function.json")).getBytes(StandardCharsets.UTF_8)), out, null);

    // moto's Code.Location points at awslambda-<region>-tasks.s3...; nothing of it may leave the function.
    String location = lambda.getFunction(b -> b.functionName(apiName)).code().location();
    assertThat(location).contains("awslambda-");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(location).doesNotContain("awslambda-").doesNotContain("\"location\"");
    assertThat(logger.all()).doesNotContain("awslambda-");
    String claimKey = DedupKey.claimObjectKey(json.mapper().readTree(out.toByteArray()).path("dedupKey").asText());
    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(claimKey)).asUtf8String()).doesNotContain("awslambda-");
  }

  @Test
  void resolve_whenCodeUpdatedAndPublished_scansThePublishedVersion() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan created = sut().resolve(sample("eventbridge/create-function.json"));
    UpdateFunctionCodeResponse updated =
        lambda.updateFunctionCode(b -> b.functionName(apiName).zipFile(zip("v2")).publish(true));
    ObjectNode event = sample("eventbridge/update-function-code.json");
    ((ObjectNode) event.get("detail").get("responseElements")).put("functionArn", updated.functionArn());

    ResolvedScan resolved = sut().resolve(event);

    assertThat(updated.functionArn()).endsWith(":" + updated.version());
    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().version()).isEqualTo(updated.version());
    assertThat(resolved.target().codeSha256()).isEqualTo(updated.codeSha256()).isNotEqualTo(created.target().codeSha256());
    assertThat(resolved.dedupKey()).isNotEqualTo(created.dedupKey());
  }

  @Test
  void resolve_whenOnlyLayersChange_scansAgainAndEnvOnlyChangeAfterwardsIsDuplicate() {
    String v1 = publishLayer("shared-libs-" + suffix, "v1");
    createZipFunction(apiName, "v1", List.of(v1), Map.of());
    ResolvedScan created = sut().resolve(sample("eventbridge/create-function.json"));
    String v2 = publishLayer("shared-libs-" + suffix, "v2");
    lambda.updateFunctionConfiguration(b -> b.functionName(apiName).layers(v2));

    ResolvedScan layers = sut().resolve(sample("eventbridge/update-function-configuration.json"));
    markCompleted(layers.dedupKey());
    lambda.updateFunctionConfiguration(b -> b.functionName(apiName).environment(e -> e.variables(Map.of("LOG_LEVEL", "debug"))));
    ResolvedScan env = sut().resolve(sample("eventbridge/update-function-configuration-env-only.json"));

    assertThat(layers.decision().action()).isEqualTo(Action.SCAN);
    assertThat(layers.target().codeSha256()).isEqualTo(created.target().codeSha256());
    assertThat(layers.dedupKey()).isNotEqualTo(created.dedupKey()).contains(v2);
    assertThat(env.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(env.decision().detail()).contains("already scanned").contains(layers.scanId());
    assertThat(env.dedupKey()).isEqualTo(layers.dedupKey());
  }

  @Test
  void resolve_whenImageFunction_keepsTheResolvedDigest() {
    GetFunctionResponse created = createImageFunction(imageName, "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.1");

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function-image.json", "orders-image", imageName));

    assertThat(created.code().resolvedImageUri()).contains("@sha256:");
    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().packageType()).isEqualTo(PackageType.IMAGE);
    assertThat(resolved.target().imageUri()).isEqualTo(created.code().imageUri());
    assertThat(resolved.target().imageDigest()).isEqualTo(created.code().resolvedImageUri());
    assertThat(resolved.dedupKey()).contains(created.code().resolvedImageUri());
  }

  @Test
  void resolve_whenCallFailed_skipsAndClaimsNothing() {
    ResolvedScan resolved = sut().resolve(sample("eventbridge/failed-call.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.FAILED_CALL);
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
  }

  @Test
  void resolve_whenFunctionDeletedSinceEvent_skipsNotFound() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    lambda.deleteFunction(b -> b.functionName(apiName));

    ResolvedScan resolved = sut().resolve(sample("eventbridge/create-function.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.NOT_FOUND);
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
  }

  @Test
  void resolve_whenTaggedAsScanner_scansItAnyway() {
    // Issue 12: the scanner's tag is no identity (anyone can set it); only this stack's own names are SELF.
    createZipFunction(apiName, "v1", List.of(), Map.of("qualys-lambda-scanner:component", "resolve-target"));

    assertThat(sut().resolve(sample("direct/scan-function.json")).decision().action()).isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenOneOfThisStacksFunctions_skipsSelf() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    Config config = new Config(bucket, "QualysScan", null, Duration.ofHours(1), "us-east-1", null, null,
        new ExclusionPolicy("123456789012", "us-east-1", java.util.Set.of(apiName), true, java.util.Set.of()));

    assertThat(sut(Duration.ofHours(1), config, sts).resolve(sample("direct/scan-function.json")).decision().reason())
        .isEqualTo(SkipReason.SELF);
  }

  @Test
  void resolve_whenTenExecutionsClaimAtOnce_exactlyOneScans() throws Exception {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolveTarget sut = sut();
    int executions = 10;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ResolvedScan>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(executions)) {
      for (int i = 0; i < executions; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return sut.resolve(sample("eventbridge/create-function.json"));
                }));
      }
      start.countDown();
      List<ResolvedScan> resolved = new ArrayList<>();
      for (Future<ResolvedScan> result : results) {
        resolved.add(result.get());
      }

      List<ResolvedScan> scans = resolved.stream().filter(r -> r.decision().action() == Action.SCAN).toList();
      assertThat(scans).hasSize(1);
      assertThat(resolved).filteredOn(r -> r.decision().reason() == SkipReason.DUPLICATE).hasSize(executions - 1);
      assertThat(claim(scans.getFirst().dedupKey()).path("scanId").asText()).isEqualTo(scans.getFirst().scanId());
    }
  }

  @Test
  void resolve_whenClaimExpired_takesItOver() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan first = sut().resolve(sample("eventbridge/create-function.json"));
    now = T0.plus(Duration.ofMinutes(30));
    ResolvedScan early = sut().resolve(sample("eventbridge/create-function.json"));
    now = T0.plus(Duration.ofMinutes(120));

    ResolvedScan late = sut().resolve(sample("eventbridge/create-function.json"));

    assertThat(first.decision().action()).isEqualTo(Action.SCAN);
    assertThat(early.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(late.decision().action()).isEqualTo(Action.SCAN);
    assertThat(claim(late.dedupKey()).path("scanId").asText()).isEqualTo(late.scanId());
  }

  @Test
  void resolve_whenForgedClaimSaysItIsOld_stillHoldsForItsRealAge() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan first = sut().resolve(sample("eventbridge/create-function.json"));
    // Someone who can write claims/ backdates a claim to have the next event take it over (or post-dates it to
    // block scans forever): the body's time counts for nothing, S3's LastModified does.
    ObjectNode forged = (ObjectNode) claim(first.dedupKey());
    forged.put("scanId", "forged-scan");
    forged.put("claimedAt", "2000-01-01T00:00:00Z");
    forged.put("expiresAt", "2000-01-01T01:00:00Z");
    s3.putObject(b -> b.bucket(bucket).key(DedupKey.claimObjectKey(first.dedupKey())),
        RequestBody.fromString(json.toJson(forged)));

    ResolvedScan next = sut().resolve(sample("eventbridge/create-function.json"));

    assertThat(next.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(claim(first.dedupKey()).path("scanId").asText()).isEqualTo("forged-scan");
  }

  @Test
  void resolve_whenClaimCompleted_staysDuplicateAfterTtlWithinRescanAfter() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan first = sut().resolve(sample("eventbridge/create-function.json"));
    markCompleted(first.dedupKey());
    now = T0.plus(Duration.ofDays(6));

    assertThat(sut().resolve(sample("eventbridge/create-function.json")).decision().reason())
        .isEqualTo(SkipReason.DUPLICATE);
  }

  @Test
  void resolve_whenClaimCompletedLongerAgoThanRescanAfter_scansAgainAndTakesTheClaim() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan first = sut().resolve(sample("eventbridge/create-function.json"));
    now = T0.plus(Duration.ofHours(2));
    markCompleted(first.dedupKey());
    now = T0.plus(Duration.ofHours(2)).plus(Duration.ofDays(7)).plusSeconds(1);

    ResolvedScan again = sut().resolve(sample("eventbridge/create-function.json"));

    assertThat(again.decision().action()).isEqualTo(Action.SCAN);
    assertThat(claim(again.dedupKey()).path("scanId").asText()).isEqualTo(again.scanId());
    assertThat(claim(again.dedupKey()).path("status").asText()).isEqualTo("CLAIMED");
  }

  @Test
  void resolve_whenForced_scansAndTakesTheClaim() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    ResolvedScan first = sut().resolve(sample("direct/scan-function.json"));
    markCompleted(first.dedupKey());
    ObjectNode forced = sample("direct/scan-function.json");
    forced.put("force", true);

    ResolvedScan resolved = sut().resolve(forced);

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(claim(resolved.dedupKey()).path("scanId").asText()).isEqualTo(resolved.scanId());
    assertThat(claim(resolved.dedupKey()).path("status").asText()).isEqualTo("CLAIMED");
  }

  @Test
  void resolve_whenBucketMissing_isTerminal() {
    createZipFunction(apiName, "v1", List.of(), Map.of());
    // Its role is granted the stack's bucket only: elsewhere S3 refuses (AccessDenied), as on AWS, before NoSuchBucket.
    bucket = "no-such-bucket-" + suffix;

    assertThatThrownBy(() -> sut().resolve(sample("eventbridge/create-function.json")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("s3:PutObject");
  }

  // --- hub and spoke: the hub runs as 123456789012 in us-east-1, the function lives in 210987654321, eu-west-1 ---

  @Test
  void resolve_whenHubModeAndFunctionInSpokeAccount_describesItThroughTheSpokeRole() throws IOException {
    GetFunctionResponse created = createSpokeFunction(apiName);
    String spokeArn = created.configuration().functionArn();
    // The function is B's alone: the hub's own role cannot read it, so finding it proves the assumed role.
    assertThat(spokeArn).contains(":" + SPOKE + ":").contains(":eu-west-1:");
    try (LambdaClient hubInEuWest = lambdaIn("eu-west-1")) {
      assertThatThrownBy(() -> hubInEuWest.getFunction(b -> b.functionName(spokeArn)))
          .isInstanceOf(LambdaException.class)
          .hasMessageContaining("is not authorized to perform: lambda:GetFunction");
    }
    RecordingSts recording = new RecordingSts(resolveSts);
    Config hub = new Config(bucket, "QualysScan", null, Duration.ofHours(1), "us-east-1", SPOKE_ROLE, EXTERNAL_ID);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new ResolveTargetHandler(sut(Duration.ofHours(1), hub, recording), json)
        .handleRequest(
            new java.io.ByteArrayInputStream(json.toJson(spokeSample()).getBytes(StandardCharsets.UTF_8)), out, null);

    ResolvedScan resolved = json.mapper().readValue(out.toByteArray(), ResolvedScan.class);
    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().functionArn()).isEqualTo(spokeArn);
    assertThat(resolved.target().accountId()).isEqualTo(SPOKE);
    assertThat(resolved.target().region()).isEqualTo("eu-west-1");
    assertThat(resolved.target().codeSha256()).isEqualTo(created.configuration().codeSha256());
    assertThat(recording.requests).hasSize(1);
    AssumeRoleRequest assumed = recording.requests.getFirst();
    assertThat(assumed.roleArn()).isEqualTo("arn:aws:iam::" + SPOKE + ":role/" + SPOKE_ROLE);
    assertThat(assumed.externalId()).isEqualTo(EXTERNAL_ID);
    assertThat(assumed.roleSessionName()).isEqualTo(resolved.scanId());
    assertThat(assumed.durationSeconds()).isLessThanOrEqualTo(3600);
    // The claim is written with the hub's own credentials, in the hub's bucket.
    assertThat(claim(resolved.dedupKey()).path("scanId").asText()).isEqualTo(resolved.scanId());
    // The assumed credentials appear nowhere: not in the output, not in the log, not in the claim.
    Credentials issued = recording.issued.getFirst();
    String claimText =
        s3.getObjectAsBytes(b -> b.bucket(bucket).key(DedupKey.claimObjectKey(resolved.dedupKey()))).asUtf8String();
    for (String text : List.of(out.toString(StandardCharsets.UTF_8), logger.all(), claimText)) {
      assertThat(text)
          .doesNotContain(issued.accessKeyId())
          .doesNotContain(issued.secretAccessKey())
          .doesNotContain(issued.sessionToken());
    }
  }

  @Test
  void resolve_whenSingleAccountModeAndFunctionInAnotherAccount_failsClearlyWithoutClaiming() {
    createSpokeFunction(apiName);
    RecordingSts recording = new RecordingSts(resolveSts);

    assertThatThrownBy(
            () -> sut(Duration.ofHours(1), new Config(bucket, "QualysScan", null, Duration.ofHours(1), "us-east-1"), recording)
                .resolve(spokeSample()))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-account target arn:aws:lambda:eu-west-1:" + SPOKE + ":function:" + apiName)
        .hasMessageContaining("but SPOKE_ROLE_NAME is not set (single-account mode)");
    assertThat(recording.requests).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
  }

  @Test
  void resolve_whenHubModeAndFunctionInOwnAccountAndRegion_usesOwnRole() {
    GetFunctionResponse created = createZipFunction(apiName, "v1", List.of(), Map.of());
    RecordingSts recording = new RecordingSts(resolveSts);
    Config hub = new Config(bucket, "QualysScan", null, Duration.ofHours(1), "us-east-1", SPOKE_ROLE, EXTERNAL_ID);

    ResolvedScan resolved = sut(Duration.ofHours(1), hub, recording).resolve(sample("eventbridge/create-function.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().functionArn()).isEqualTo(created.configuration().functionArn());
    assertThat(recording.requests).isEmpty();
  }

  /** The create-function sample, moved to the spoke account and eu-west-1, with this test's function name. */
  private ObjectNode spokeSample() {
    return (ObjectNode)
        Samples.tree(
            Samples.text("eventbridge/create-function.json")
                .replace("orders-api", apiName)
                .replace(HUB, SPOKE)
                .replace("us-east-1", "eu-west-1"));
  }

  /** A function created in the spoke account, with credentials moto issues for a role there. */
  private GetFunctionResponse createSpokeFunction(String name) {
    Credentials spoke =
        sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + SPOKE + ":role/it-admin").roleSessionName("it-setup"))
            .credentials();
    String spokeRole =
        AWS.moto().createLambdaRole("resolve-target-it-" + UUID.randomUUID().toString().substring(0, 8), spoke.accessKeyId(), SPOKE);
    try (LambdaClient inSpoke =
        LambdaClient.builder()
            .httpClient(http)
            .endpointOverride(AWS.moto().endpoint())
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(spoke.accessKeyId(), spoke.secretAccessKey(), spoke.sessionToken())))
            .build()) {
      inSpoke.createFunction(
          b -> b.functionName(name).runtime("java21").role(spokeRole).handler("com.example.Handler::handleRequest")
              .code(FunctionCode.builder().zipFile(zip("spoke")).build()));
      return inSpoke.getFunction(b -> b.functionName(name));
    }
  }

  /** The real STS, with every AssumeRole request and the credentials it issued kept for the assertions. */
  private static final class RecordingSts implements StsClient {

    final List<AssumeRoleRequest> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Credentials> issued = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StsClient real;

    RecordingSts(StsClient real) {
      this.real = real;
    }

    @Override
    public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
      requests.add(request);
      AssumeRoleResponse response = real.assumeRole(request);
      issued.add(response.credentials());
      return response;
    }

    @Override
    public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
      return real.getCallerIdentity(request);
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {}
  }

  // --- emulator set-up ---

  private JsonNode claim(String dedupKey) {
    try {
      return json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(DedupKey.claimObjectKey(dedupKey))).asByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What Store Results does after a completed scan. */
  private void markCompleted(String dedupKey) {
    ObjectNode claim = (ObjectNode) claim(dedupKey);
    claim.put("status", "COMPLETED");
    claim.put("completedAt", now.toString());
    s3.putObject(b -> b.bucket(bucket).key(DedupKey.claimObjectKey(dedupKey)), RequestBody.fromString(json.toJson(claim)));
  }

  private static String publishLayer(String name, String content) {
    return lambda
        .publishLayerVersion(b -> b.layerName(name).content(LayerVersionContentInput.builder().zipFile(zip(content)).build()))
        .layerVersionArn();
  }

  private static GetFunctionResponse createZipFunction(String name, String content, List<String> layers, Map<String, String> tags) {
    lambda.createFunction(
        b -> b.functionName(name).runtime("java21").role(role).handler("com.example.Handler::handleRequest")
            .code(FunctionCode.builder().zipFile(zip(content)).build()).layers(layers).tags(tags));
    return lambda.getFunction(b -> b.functionName(name));
  }

  private static GetFunctionResponse createImageFunction(String name, String imageUri) {
    lambda.createFunction(
        b -> b.functionName(name).packageType("Image").role(role).code(FunctionCode.builder().imageUri(imageUri).build()));
    return lambda.getFunction(b -> b.functionName(name));
  }

  private static SdkBytes zip(String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("content.txt"));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }

  /** Resolve Target's Lambda client for a region, as its LambdaClients makes them: a session of its role. */
  private static LambdaClient lambdaIn(String region) {
    return AWS.client(LambdaClient.builder(), "ResolveTargetFunctionRole", region);
  }
}
