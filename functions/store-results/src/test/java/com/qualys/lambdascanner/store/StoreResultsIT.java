package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import com.qualys.lambdascanner.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The real function code against moto's S3 as its own role (the stack's IAM enforced), fed with the sample events. */
class StoreResultsIT {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static final String ACCOUNT_PREFIX = "results/account=123456789012/region=us-east-1/date=2026-11-27/";
  private static final String LATEST = "latest/123456789012/us-east-1/orders-api.json";

  @RegisterExtension static final EnforcedAws AWS = EnforcedAws.stack().build();

  /** The deployer's client: seeds claims and reads back what the function wrote. */
  private static S3Client s3;
  /** Store Results' own: a session of its role, as Lambda gives it. */
  private static S3Client storeResultsS3;

  private final JsonCodec json = new JsonCodec();
  private final List<String> metricLines = new ArrayList<>();
  private String bucket;
  private StoreResults sut;

  @BeforeAll
  static void clients() {
    s3 = AWS.harness(S3Client.builder());
    storeResultsS3 = AWS.client(S3Client.builder(), "StoreResultsFunctionRole");
  }


  @BeforeEach
  void service() {
    bucket = AWS.bucket();
    sut = service(bucket);
  }

  private StoreResults service(String bucketName) {
    return service(bucketName, storeResultsS3);
  }

  private StoreResults service(String bucketName, S3Client client) {
    return new StoreResults(
        client,
        new StoreResultsConfig(bucketName, false),
        json,
        new StructuredLog(json, new CapturingLogger()),
        new ResultRecordBuilder(),
        new ScanMetrics(json, metricLines::add),
        Clock.fixed(NOW, ZoneOffset.UTC),
        FunctionTagger.disabled(new StructuredLog(json, new CapturingLogger())));
  }

  @Test
  void handleRequest_whenScanned_expectRecordLatestAndCompletedClaim() throws Exception {
    RecordRequest request = Events.request("store-results", "scanned.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"IN_PROGRESS\",\"expiresAt\":\"2026-11-27T14:02:12Z\"}");

    StoredRecord stored = invokeHandler("scanned.json");

    String key = ACCOUNT_PREFIX + "3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17.json";
    assertThat(new StoredRecord(stored.bucket(), stored.key(), stored.latestKey(), stored.status()))
        .isEqualTo(new StoredRecord(bucket, key, LATEST, RecordStatus.POLICY_DENY));
    // The sample names no findings index: nothing to compare, and the state says so.
    assertThat(stored.changes().comparedWith()).isEqualTo("UNAVAILABLE");
    var head = s3.headObject(b -> b.bucket(bucket).key(key));
    assertThat(head.contentType()).isEqualTo("application/json");
    // No encryption header of its own: the bucket's default, the stack's KMS key, applies.
    assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(head.ssekmsKeyId()).isEqualTo(AWS.keyArn());
    JsonNode record = read(key);
    assertThat(record.get("status").asText()).isEqualTo("POLICY_DENY");
    assertThat(record.get("schemaVersion").asText()).isEqualTo("1.0");
    assertThat(read(LATEST)).isEqualTo(record);
    JsonNode claim = read(claimKey);
    assertThat(claim.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(claim.get("completedAt").asText()).isEqualTo(NOW.toString());
    assertThat(claim.get("expiresAt").asText()).isEqualTo("2026-11-27T14:02:12Z");
    assertThat(metricLines).singleElement().asString().contains("\"ScansCompleted\":1");
  }

  @Test
  void store_whenSkipped_expectRecordWithoutLatestAndClaimKept() {
    RecordRequest request = Events.request("store-results", "skipped.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    String claimBody = "{\"scanId\":\"3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17\",\"status\":\"COMPLETED\"}";
    putClaim(claimKey, claimBody);

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.SKIPPED);
    assertThat(stored.latestKey()).isNull();
    assertThat(read(stored.key()).get("skipReason").asText()).isEqualTo("DUPLICATE");
    assertThat(exists(LATEST)).isFalse();
    assertThat(readText(claimKey)).isEqualTo(claimBody);
  }

  @Test
  void store_whenFailed_expectRedactedRecordLatestAndClaimReleased() {
    RecordRequest request = Events.request("store-results", "failed.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"IN_PROGRESS\"}");

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.FAILED);
    assertThat(stored.latestKey()).isEqualTo(LATEST);
    String body = readText(stored.key());
    assertThat(body)
        .contains("TerminalException")
        .doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE")
        .doesNotContain("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        .doesNotContain("stackTrace");
    assertThat(exists(claimKey)).isFalse();
  }

  @Test
  void store_whenTimedOut_expectClaimReleased() {
    RecordRequest request = Events.request("store-results", "timed-out.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"status\":\"IN_PROGRESS\"}");

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.TIMED_OUT);
    assertThat(read(stored.key()).at("/error/type").asText()).endsWith("ScanTimeoutException");
    assertThat(exists(claimKey)).isFalse();
  }

  @Test
  void store_whenPartial_expectClaimReleasedSoTheNextEventRescans() {
    RecordRequest request = Events.request("store-results", "partial.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"CLAIMED\"}");

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.PARTIAL);
    assertThat(read(stored.key()).get("reason").asText()).contains("exit 40");
    assertThat(exists(claimKey)).as("a partial scan is not a verdict: the claim is released").isFalse();
  }

  @Test
  void store_whenDenyWithUnmappedFindings_expectDenyKeptButClaimReleased() {
    RecordRequest request = Events.request("store-results", "deny-unmapped.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"CLAIMED\"}");

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.POLICY_DENY);
    JsonNode record = read(stored.key());
    assertThat(record.at("/scanner/findingsUnmapped").asBoolean()).isTrue();
    assertThat(record.get("reason").asText()).contains("could not map");
    assertThat(exists(claimKey)).as("a DENY nobody could read is not a full verdict: the claim is released").isFalse();
  }

  @Test
  void store_whenCodeChangedDuringScan_expectOwnStatusAndClaimReleased() {
    RecordRequest request = Events.request("store-results", "code-changed.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"CLAIMED\"}");

    StoredRecord stored = sut.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.CODE_CHANGED);
    JsonNode record = read(stored.key());
    assertThat(record.get("status").asText()).isEqualTo("CODE_CHANGED");
    assertThat(record.get("reason").asText()).contains("code changed during the scan");
    assertThat(record.get("policyResult").isNull()).isTrue();
    assertThat(exists(claimKey)).isFalse();
    assertThat(metricLines).singleElement().asString()
        .contains("\"CodeChangedDuringScan\":1").contains("\"ScansCompleted\":0");
  }

  @Test
  void store_whenCauseHoldsToken_expectTokenInNoObject() {
    String token = "qualys-fake-token-7f3a9c1e5b2d4086";
    RecordRequest failed = Events.request("store-results", "failed.json");
    var s = failed.state();
    String cause =
        "{\"errorType\":\"x.TerminalException\",\"errorMessage\":\"qscanner: QUALYS_ACCESS_TOKEN=" + token
            + " rejected; Authorization: Bearer " + token + "\",\"stackTrace\":[]}";
    RecordRequest leaky =
        new RecordRequest(
            failed.executionArn(),
            failed.ending(),
            new com.qualys.lambdascanner.common.model.PipelineState(
                s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(),
                s.record(), new com.qualys.lambdascanner.common.model.TaskError(s.error().error(), cause)));

    StoredRecord stored = sut.store(leaky);

    assertThat(readText(stored.key())).contains("rejected").doesNotContain(token);
    assertThat(readText(stored.latestKey())).doesNotContain(token);
    assertThat(String.join("\n", metricLines)).doesNotContain(token);
  }

  @Test
  void store_whenClaimTakenByAnotherScan_expectClaimLeft() {
    RecordRequest request = Events.request("store-results", "failed.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    String foreign = "{\"scanId\":\"someone-else\",\"status\":\"IN_PROGRESS\"}";
    putClaim(claimKey, foreign);

    sut.store(request);

    assertThat(readText(claimKey)).isEqualTo(foreign);
  }

  @Test
  void store_whenClaimTakenOverWhileSettling_expectTakeoverKept() {
    RecordRequest request = Events.request("store-results", "scanned.json");
    String claimKey = RecordKeys.claimKey(request.state().dedupKey());
    putClaim(claimKey, "{\"scanId\":\"" + request.state().scanId() + "\",\"status\":\"CLAIMED\"}");
    String takeover = "{\"scanId\":\"forced-scan\",\"status\":\"CLAIMED\"}";
    // Another execution rewrites the claim right after Store Results read it.
    S3Client racing =
        new S3Client() {
          @Override
          public <T> T getObject(
              software.amazon.awssdk.services.s3.model.GetObjectRequest get,
              software.amazon.awssdk.core.sync.ResponseTransformer<
                      software.amazon.awssdk.services.s3.model.GetObjectResponse, T>
                  transformer) {
            T result = storeResultsS3.getObject(get, transformer);
            if (get.key().equals(claimKey)) {
              putClaim(claimKey, takeover);
            }
            return result;
          }

          @Override
          public software.amazon.awssdk.services.s3.model.PutObjectResponse putObject(
              software.amazon.awssdk.services.s3.model.PutObjectRequest put, RequestBody body) {
            return storeResultsS3.putObject(put, body);
          }

          @Override
          public String serviceName() {
            return storeResultsS3.serviceName();
          }

          @Override
          public void close() {}
        };
    StoreResults sutWithRace =
        new StoreResults(
            racing, new StoreResultsConfig(bucket, false), json, new StructuredLog(json, new CapturingLogger()),
            new ResultRecordBuilder(), new ScanMetrics(json, metricLines::add), Clock.fixed(NOW, ZoneOffset.UTC),
            FunctionTagger.disabled(new StructuredLog(json, new CapturingLogger())));

    StoredRecord stored = sutWithRace.store(request);

    assertThat(stored.status()).isEqualTo(RecordStatus.POLICY_DENY);
    assertThat(readText(claimKey)).isEqualTo(takeover);
  }

  @Test
  void store_whenClaimAbsent_expectNoClaimCreated() {
    RecordRequest request = Events.request("store-results", "scanned.json");

    sut.store(request);

    assertThat(exists(RecordKeys.claimKey(request.state().dedupKey()))).isFalse();
  }

  @Test
  void store_whenSameExecutionRetried_expectSameKeyOnce() {
    RecordRequest request = Events.request("store-results", "scanned.json");

    StoredRecord first = sut.store(request);
    StoredRecord second = sut.store(request);

    assertThat(second).isEqualTo(first);
    List<S3Object> results = s3.listObjectsV2(b -> b.bucket(bucket).prefix("results/")).contents();
    assertThat(results).extracting(S3Object::key).containsExactly(first.key());
  }

  @Test
  void store_whenBucketMissing_expectTerminal() {
    // Its role is granted the stack's bucket only: elsewhere S3 answers AccessDenied, as on AWS, before NoSuchBucket.
    StoreResults missing = service("no-such-bucket-" + UUID.randomUUID());

    assertThatThrownBy(() -> missing.store(Events.request("store-results", "skipped.json")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("AccessDenied");
  }

  @Test
  void store_whenAnotherRoleOfTheStackWrites_expectAccessDeniedAndNothingStored() {
    // Resolve Target's role may write claims, not records: the bucket policy and its own policy both refuse.
    try (S3Client resolveTargetS3 = AWS.client(S3Client.builder(), "ResolveTargetFunctionRole")) {
      StoreResults impostor = service(bucket, resolveTargetS3);

      assertThatThrownBy(() -> impostor.store(Events.request("store-results", "skipped.json")))
          .isInstanceOf(TerminalException.class)
          .hasMessageContaining("AccessDenied");
    }
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("results/")).contents()).isEmpty();
  }

  @Test
  void component_whenWiredWithEnvironment_expectWorkingService() {
    AWS.actAsDefault("StoreResultsFunctionRole");
    StoreResults wired =
        DaggerStoreResultsComponent.builder()
            .storeResultsModule(new StoreResultsModule(Env.of(Map.of("RESULTS_BUCKET", bucket))))
            .build()
            .storeResults();

    StoredRecord stored = wired.store(Events.request("store-results", "skipped.json"));

    assertThat(exists(stored.key())).isTrue();
  }

  private StoredRecord invokeHandler(String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(Events.path("store-results", event))) {
      new StoreResultsHandler(sut).handleRequest(in, out, null);
    }
    return json.read(new ByteArrayInputStream(out.toByteArray()), StoredRecord.class);
  }

  private void putClaim(String key, String body) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(body));
  }

  private String readText(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  private JsonNode read(String key) {
    try {
      return json.mapper().readTree(readText(key));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
