package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import com.qualys.lambdascanner.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.TagResourceRequest;
import software.amazon.awssdk.services.lambda.model.TagResourceResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * TAG_SCANNED_FUNCTIONS against moto's Lambda, STS and S3 as Store Results' role (the stack's IAM enforced, tagging on):
 * the record first, then the tags, never instead.
 */
class FunctionTaggingIT {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05.250Z");
  private static final String OWN_ACCOUNT = "123456789012";
  private static final String OTHER_ACCOUNT = "210987654321";

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack().parameter("TagScannedFunctions", "true").build();

  /** The deployer's: creates the target function, reads back its tags and the record. */
  private static LambdaClient lambda;
  private static S3Client s3;
  /** Store Results' own: sessions of its role. */
  private static LambdaClient storeResultsLambda;
  private static S3Client storeResultsS3;
  private static String role;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String functionName = "tagged-fn-" + suffix;
  private String bucket;

  @BeforeAll
  static void clients() {
    lambda = AWS.harness(LambdaClient.builder());
    s3 = AWS.harness(S3Client.builder());
    storeResultsLambda = AWS.client(LambdaClient.builder(), "StoreResultsFunctionRole");
    storeResultsS3 = AWS.client(S3Client.builder(), "StoreResultsFunctionRole");
    role = AWS.moto().createLambdaRole("store-results-it-" + UUID.randomUUID().toString().substring(0, 8), "testing",
        OWN_ACCOUNT);
  }


  @BeforeEach
  void createFunction() {
    bucket = AWS.bucket();
    lambda.createFunction(
        b -> b.functionName(functionName).runtime("java21").role(role).handler("com.example.Handler::handleRequest")
            .code(FunctionCode.builder().zipFile(zip()).build()));
  }

  @Test
  void store_whenTaggingOnAndScanned_expectTwoTagsOnFunction() {
    StoredRecord stored = wired("true").store(request("scanned.json", OWN_ACCOUNT));

    assertThat(stored.status()).isEqualTo(RecordStatus.POLICY_DENY);
    assertThat(recordExists(stored.key())).isTrue();
    String recordedAt = readRecord(stored.key()).at("/timings/recordedAt").asText();
    assertThat(tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "qualys-scan:status", "POLICY_DENY",
                "qualys-scan:time", FunctionTagger.timeValue(Instant.parse(recordedAt))));
    assertThat(tags().get("qualys-scan:time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  }

  @Test
  void store_whenTaggingOnWithFixedClock_expectRecordTimeToTheSecond() {
    direct(new FunctionTagger(true, storeResultsLambda, "us-east-1", () -> OWN_ACCOUNT, log()))
        .store(request("timed-out.json", OWN_ACCOUNT));

    assertThat(tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("qualys-scan:status", "TIMED_OUT", "qualys-scan:time", "2026-11-27T13:03:05Z"));
  }

  @Test
  void store_whenTaggingOnAndFailed_expectFailedStatusTag() {
    wired("true").store(request("failed.json", OWN_ACCOUNT));

    assertThat(tags()).containsEntry("qualys-scan:status", "FAILED");
  }

  @Test
  void store_whenTaggingOff_expectNoTags() {
    StoredRecord stored = wired("false").store(request("scanned.json", OWN_ACCOUNT));

    assertThat(recordExists(stored.key())).isTrue();
    assertThat(tags()).isEmpty();
  }

  @Test
  void store_whenTaggingOnAndSkipped_expectNoTags() {
    StoredRecord stored = wired("true").store(request("skipped.json", OWN_ACCOUNT));

    assertThat(recordExists(stored.key())).isTrue();
    assertThat(tags()).isEmpty();
  }

  @Test
  void store_whenTargetInAnotherAccount_expectNoTagCallAndRecordStored() {
    List<TagResourceRequest> calls = new ArrayList<>();
    LambdaClient counting =
        new LambdaClient() {
          @Override
          public TagResourceResponse tagResource(TagResourceRequest request) {
            calls.add(request);
            return storeResultsLambda.tagResource(request);
          }

          @Override
          public String serviceName() {
            return storeResultsLambda.serviceName();
          }

          @Override
          public void close() {}
        };

    StoredRecord stored =
        direct(new FunctionTagger(true, counting, "us-east-1", () -> OWN_ACCOUNT, log()))
            .store(request("scanned.json", OTHER_ACCOUNT));

    assertThat(calls).isEmpty();
    assertThat(stored.key()).contains("account=" + OTHER_ACCOUNT);
    assertThat(recordExists(stored.key())).isTrue();
  }

  @Test
  void store_whenFunctionDeleted_expectRecordStoredAndWarning() {
    lambda.deleteFunction(b -> b.functionName(functionName));

    StoredRecord stored =
        direct(new FunctionTagger(true, storeResultsLambda, "us-east-1", () -> OWN_ACCOUNT, log()))
            .store(request("scanned.json", OWN_ACCOUNT));

    assertThat(stored.status()).isEqualTo(RecordStatus.POLICY_DENY);
    assertThat(recordExists(stored.key())).isTrue();
    assertThat(recordExists(stored.latestKey())).isTrue();
    assertThat(logger.lines())
        .anySatisfy(line -> assertThat(line).contains("\"WARN\"").contains("cannot tag the scanned function"))
        .anySatisfy(line -> assertThat(line).contains("result record stored").contains("\"tags\":\"failed\""));
  }

  /** The real graph, as Lambda builds it, with this test's environment and its role behind the SDK defaults. */
  private StoreResults wired(String flag) {
    AWS.actAsDefault("StoreResultsFunctionRole");
    return DaggerStoreResultsComponent.builder()
        .storeResultsModule(
            new StoreResultsModule(Env.of(Map.of("RESULTS_BUCKET", bucket, "TAG_SCANNED_FUNCTIONS", flag))))
        .build()
        .storeResults();
  }

  private StoreResults direct(FunctionTagger tagger) {
    return new StoreResults(
        storeResultsS3, new StoreResultsConfig(bucket, true), json, log(), new ResultRecordBuilder(),
        new ScanMetrics(json, line -> {}), Clock.fixed(NOW, ZoneOffset.UTC), tagger);
  }

  private StructuredLog log() {
    return new StructuredLog(json, logger);
  }

  /** The sample event about this test's own function (in the given account). */
  private RecordRequest request(String event, String account) {
    RecordRequest sample = Events.request("store-results", event);
    PipelineState s = sample.state();
    Target t = s.target();
    String arn = "arn:aws:lambda:us-east-1:" + account + ":function:" + functionName;
    Target target =
        new Target(
            t.partition(), account, t.region(), functionName, arn, t.version(), t.packageType(), t.runtime(),
            t.architectures(), t.codeSha256(), t.imageUri(), t.imageDigest(), t.layers(), t.state());
    return new RecordRequest(
        sample.executionArn(),
        sample.ending(),
        new PipelineState(
            s.scanId(), target, s.trigger(), s.decision(), null, s.credentials(), s.scan(), s.record(), s.error()));
  }

  private Map<String, String> tags() {
    return lambda.listTags(b -> b.resource(lambda.getFunction(g -> g.functionName(functionName)).configuration().functionArn()))
        .tags();
  }

  private com.fasterxml.jackson.databind.JsonNode readRecord(String key) {
    try {
      return json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean recordExists(String key) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream().anyMatch(o -> o.key().equals(key));
  }

  private static SdkBytes zip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("content.txt"));
      zip.write("tagging".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }
}
