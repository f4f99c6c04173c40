package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import com.qualys.lambdascanner.testing.Events;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The Security Hub export against moto's Security Hub (BatchImportFindings, GetFindings) and S3, through the real
 * signed client: findings created, updated on rescan, archived when fixed or when the function is deleted; a spoke
 * function's findings in the spoke account; an outage or FailedFindings recorded, never thrown, and retried.
 */
class SecurityHubExportIT {

  private static final String ACCOUNT = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String SPOKE_ROLE = "qualys-lambda-scanner-spoke";
  private static final String EXTERNAL_ID = "hub-external-id";

  /** Hub mode with Security Hub export and one spoke: findings of a spoke's function go in through its role. */
  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .parameter("SecurityHubExport", "true")
      .hub(SPOKE_ROLE, EXTERNAL_ID, SPOKE)
      .build();

  /** The deployer's: the harness's own reads (records, findings), straight to moto. */
  private static final AwsCredentialsProvider TESTING =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  /** The deployer's S3: seeds the findings index Run QScanner would have written, reads back the record. */
  private static S3Client s3;
  /** Store Results' own: a session of its role. */
  private static S3Client storeResultsS3;
  private static AwsCredentialsProvider storeResults;
  private static SdkHttpClient http;

  private final JsonCodec json = new JsonCodec();
  private final StructuredLog log = new StructuredLog(json, new CapturingLogger());
  private String bucket;
  private String fn;

  @BeforeAll
  static void clients() {
    http = UrlConnectionHttpClient.create();
    s3 = AWS.harness(S3Client.builder());
    storeResults = AWS.credentials("StoreResultsFunctionRole");
    storeResultsS3 = AWS.client(S3Client.builder(), "StoreResultsFunctionRole");
  }


  @BeforeEach
  void names() {
    bucket = AWS.bucket();
    fn = "orders-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static final Finding LOG4SHELL = new Finding("376657", List.of("CVE-2021-44228"), 5,
      "Apache Log4j RCE (Log4Shell)", "org.apache.logging.log4j:log4j-core", "2.14.1", "2.17.1", null, null);
  private static final Finding TEXT4SHELL = new Finding("5001234", List.of("CVE-2022-42889"), 5,
      "Apache Commons Text RCE (Text4Shell)", "org.apache.commons:commons-text", "1.9", "1.10.0", null, null);
  private static final Finding JACKSON = new Finding("380712", List.of("CVE-2020-36518"), 4,
      "jackson-databind DoS", "com.fasterxml.jackson.core:jackson-databind", "2.12.0", "2.12.6.1", null, null);

  @Test
  void store_whenScannedRescannedAndFixed_expectCreatedUpdatedAndArchived() {
    Instant t1 = Instant.parse("2026-11-27T13:03:05Z");
    var first = store(ACCOUNT, "scan-1", t1, List.of(LOG4SHELL, TEXT4SHELL), AWS.endpointUri());

    assertThat(first.path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(first.path("securityHub").path("imported").asInt()).isEqualTo(2);
    assertThat(first.path("securityHub").path("productArn").asText())
        .isEqualTo("arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default");
    Map<String, JsonNode> created = findings(TESTING);
    assertThat(created).hasSize(2);
    JsonNode log4shell = byQid(created, "376657");
    assertThat(log4shell.path("RecordState").asText()).isEqualTo("ACTIVE");
    assertThat(log4shell.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsLambdaFunction");
    assertThat(log4shell.path("Resources").get(0).path("Details").path("AwsLambdaFunction").path("FunctionName").asText())
        .isEqualTo(fn);
    assertThat(log4shell.path("Vulnerabilities").get(0).path("Id").asText()).isEqualTo("CVE-2021-44228");

    // A redeploy: Log4Shell fixed, jackson-databind new, Text4Shell persisting.
    Instant t2 = Instant.parse("2026-11-28T08:00:00Z");
    var second = store(ACCOUNT, "scan-2", t2, List.of(TEXT4SHELL, JACKSON), AWS.endpointUri());

    assertThat(second.path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(second.path("securityHub").path("imported").asInt()).isEqualTo(2);
    assertThat(second.path("securityHub").path("archived").asInt()).isEqualTo(1);
    Map<String, JsonNode> updated = findings(TESTING);
    assertThat(updated).as("same Ids: updated, not added").hasSize(3).containsKeys(created.keySet().toArray(String[]::new));
    assertThat(byQid(updated, "376657").path("RecordState").asText()).isEqualTo("ARCHIVED");
    assertThat(byQid(updated, "5001234").path("RecordState").asText()).isEqualTo("ACTIVE");
    assertThat(byQid(updated, "5001234").path("UpdatedAt").asText()).isEqualTo(t2.toString());
    assertThat(Instant.parse(byQid(updated, "5001234").path("UpdatedAt").asText()))
        .isAfter(Instant.parse(byQid(created, "5001234").path("UpdatedAt").asText()));
    assertThat(byQid(updated, "380712").path("RecordState").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void store_whenFunctionDeleted_expectItsFindingsArchived() throws Exception {
    store(ACCOUNT, "scan-1", Instant.parse("2026-11-27T13:03:05Z"), List.of(LOG4SHELL, TEXT4SHELL), AWS.endpointUri());

    ObjectNode skip = (ObjectNode) json.mapper().readTree(Events.text("store-results", "skipped.json"));
    retarget(skip, ACCOUNT, "scan-gone");
    ((ObjectNode) skip.path("state").path("decision")).put("reason", "NOT_FOUND");
    ((ObjectNode) skip.path("state").path("trigger")).put("eventName", "DeleteFunction20150331")
        .put("eventTime", "2026-11-29T07:59:00Z");
    var gone = service(Instant.parse("2026-11-29T08:00:00Z"), AWS.endpointUri(), storeResults)
        .store(json.mapper().treeToValue(skip, RecordRequest.class));

    JsonNode record = read(gone.key());
    assertThat(record.path("skipReason").asText()).isEqualTo("NOT_FOUND");
    assertThat(record.path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(record.path("securityHub").path("archived").asInt()).isEqualTo(2);
    assertThat(findings(TESTING).values()).allSatisfy(f -> assertThat(f.path("RecordState").asText()).isEqualTo("ARCHIVED"));
  }

  @Test
  void store_whenSecurityHubDown_expectRecordStoredSayingNotExportedAndNextScanRetries() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer down = stub(exchange -> {
      calls.incrementAndGet();
      return new Stub(503, "ServiceUnavailableException", "{\"message\":\"down\"}");
    });
    store(ACCOUNT, "scan-1", Instant.parse("2026-11-27T13:03:05Z"), List.of(LOG4SHELL), AWS.endpointUri());
    try {
      var second = store(ACCOUNT, "scan-2", Instant.parse("2026-11-28T08:00:00Z"), List.of(TEXT4SHELL),
          URI.create("http://127.0.0.1:" + down.getAddress().getPort()));

      assertThat(second.path("status").asText()).isEqualTo("POLICY_DENY");
      JsonNode hub = second.path("securityHub");
      assertThat(hub.path("status").asText()).isEqualTo("FAILED");
      assertThat(hub.path("notExported").asInt()).isEqualTo(2);
      assertThat(hub.path("detail").asText()).isEqualTo("ServiceUnavailableException (HTTP 503)");
      assertThat(hub.path("retryIndexKey").asText()).endsWith("/scan-1/findings-index.json");
      assertThat(calls.get()).as("retried, then given up").isEqualTo(SecurityHubExport.ATTEMPTS);
    } finally {
      down.stop(0);
    }

    // Security Hub back: the next scan imports what is active and archives what scan-2 could not.
    var third = store(ACCOUNT, "scan-3", Instant.parse("2026-11-29T08:00:00Z"), List.of(TEXT4SHELL), AWS.endpointUri());

    assertThat(third.path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
    assertThat(third.path("securityHub").path("retryIndexKey").isNull()).isTrue();
    assertThat(byQid(findings(TESTING), "376657").path("RecordState").asText()).isEqualTo("ARCHIVED");
    assertThat(byQid(findings(TESTING), "5001234").path("RecordState").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void store_whenSomeFindingsFailOrThrottled_expectPartialWithTheirIds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer flaky = stub(body -> {
      if (calls.incrementAndGet() == 1) {
        return new Stub(429, "TooManyRequestsException", "{\"message\":\"Rate exceeded\"}");
      }
      String failedId = body.path("Findings").get(0).path("Id").asText();
      return new Stub(200, null, "{\"FailedCount\":1,\"SuccessCount\":" + (body.path("Findings").size() - 1)
          + ",\"FailedFindings\":[{\"Id\":\"" + failedId + "\",\"ErrorCode\":\"InvalidAccess\","
          + "\"ErrorMessage\":\"Account is not subscribed to AWS Security Hub\"}]}");
    });
    try {
      var record = store(ACCOUNT, "scan-1", Instant.parse("2026-11-27T13:03:05Z"), List.of(LOG4SHELL, TEXT4SHELL),
          URI.create("http://127.0.0.1:" + flaky.getAddress().getPort()));

      JsonNode hub = record.path("securityHub");
      assertThat(hub.path("status").asText()).isEqualTo("PARTIAL");
      assertThat(hub.path("imported").asInt()).isEqualTo(1);
      assertThat(hub.path("notExported").asInt()).isEqualTo(1);
      assertThat(hub.path("failedIds").get(0).asText()).contains("/qualys/qid/");
      assertThat(hub.path("detail").asText()).isEqualTo("FailedFindings: InvalidAccess");
      assertThat(calls.get()).as("the throttled call was retried").isEqualTo(2);
    } finally {
      flaky.stop(0);
    }
  }

  @Test
  void store_whenTenScansExportAtOnceAtSecurityHubsRate_expectEveryOneExported() throws Exception {
    List<Finding> found = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      found.add(new Finding(String.valueOf(700000 + i), List.of(), 3, "finding " + i, "pkg:" + i, "1.0", "1.1", null, null));
    }
    List<JsonNode> records = new ArrayList<>();
    // Security Hub's quota for BatchImportFindings: 10 a second per account and region, bursts of 30. Ten scans of
    // 1,000 findings each make 100 calls at once: 70 of them must wait for the quota, for seconds. Behind the quota a
    // Security Hub that takes every finding at once (moto takes ~0.3 s a call here, slower than the quota itself).
    AtomicInteger calls = new AtomicInteger();
    HttpServer service = stub(body -> {
      calls.incrementAndGet();
      return new Stub(200, null, "{\"FailedCount\":0,\"SuccessCount\":" + body.path("Findings").size()
          + ",\"FailedFindings\":[]}");
    });
    try (LocalLambda securityHub = LocalLambda.start()
            .forwardTo(URI.create("http://127.0.0.1:" + service.getAddress().getPort()));
        ExecutorService scans = Executors.newFixedThreadPool(10)) {
      securityHub.rateLimitService("securityhub", 10, 30);
      Instant at = Instant.parse("2026-11-27T13:03:05Z");
      List<RecordRequest> requests = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        requests.add(request(ACCOUNT, fn + "-" + i, "scan-" + i, at, found));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<JsonNode>> stored = new ArrayList<>();
      for (RecordRequest request : requests) {
        stored.add(scans.submit(() -> {
          StoreResults storeResults = service(at, securityHub.endpoint(), SecurityHubExportIT.storeResults, Thread::sleep);
          start.await();
          return read(storeResults.store(request).key());
        }));
      }
      start.countDown();
      for (Future<JsonNode> record : stored) {
        records.add(record.get(5, TimeUnit.MINUTES));
      }
      assertThat(securityHub.injectedFaults("securityhub")).as("the quota throttled calls").isGreaterThan(0);
    } finally {
      service.stop(0);
    }
    assertThat(calls.get()).as("every batch taken once").isEqualTo(100);

    assertThat(records).hasSize(10).allSatisfy(record -> {
      assertThat(record.path("securityHub").path("status").asText()).isEqualTo("EXPORTED");
      assertThat(record.path("securityHub").path("imported").asInt()).isEqualTo(1000);
    });
  }

  @Test
  void store_whenSpokeFunction_expectFindingsInTheSpokeAccount() {
    // The real module's credentials: hub mode, the spoke role of the function's own account.
    Env env = Env.of(Map.of("SECURITY_HUB_EXPORT", "true", "RESULTS_BUCKET", bucket,
        "SPOKE_ROLE_NAME", "qualys-lambda-scanner-spoke", "SPOKE_EXTERNAL_ID", "hub-external-id",
        "AWS_ENDPOINT_URL", AWS.endpointUri().toString()));
    StoreResultsModule module = new StoreResultsModule(env);
    StoreResultsConfig config = module.config();
    StsClient sts = AWS.client(StsClient.builder(), "StoreResultsFunctionRole");
    FindingsContext context = new FindingsContext(storeResultsS3, config, json, log);
    SecurityHubExport export = module.securityHub(config, http, storeResults, () -> sts,
        new OwnAccount(() -> ACCOUNT), context, json, log);

    var stored = service(Instant.parse("2026-11-27T13:03:05Z"), export, config)
        .store(request(SPOKE, "scan-spoke", Instant.parse("2026-11-27T13:03:05Z"), List.of(LOG4SHELL)));

    JsonNode hub = read(stored.key()).path("securityHub");
    assertThat(hub.path("status").asText()).isEqualTo("EXPORTED");
    assertThat(hub.path("productArn").asText())
        .isEqualTo("arn:aws:securityhub:us-east-1:" + SPOKE + ":product/" + SPOKE + "/default");
    StsClient harnessSts = AWS.harness(StsClient.builder());
    var assumed = harnessSts.assumeRole(b -> b.roleArn("arn:aws:iam::" + SPOKE + ":role/reader").roleSessionName("it"))
        .credentials();
    Map<String, JsonNode> inSpoke = findings(StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
            assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken())));
    assertThat(inSpoke).hasSize(1);
    assertThat(inSpoke.values().iterator().next().path("AwsAccountId").asText()).isEqualTo(SPOKE);
    assertThat(findings(TESTING)).as("nothing in the hub's own account").isEmpty();
  }

  // --- helpers

  private record Stub(int status, String errorType, String body) {}

  private HttpServer stub(Function<JsonNode, Stub> answer) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      JsonNode body = json.mapper().readTree(exchange.getRequestBody().readAllBytes());
      Stub stub = answer.apply(body);
      byte[] bytes = stub.body().getBytes(StandardCharsets.UTF_8);
      if (stub.errorType() != null) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", stub.errorType());
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(stub.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** Stores a scan of {@code fn} in that account with these findings in its index; returns the stored record. */
  private JsonNode store(String account, String scanId, Instant at, List<Finding> found, URI securityHub) {
    var stored = service(at, securityHub, storeResults).store(request(account, scanId, at, found));
    return read(stored.key());
  }

  private RecordRequest request(String account, String scanId, Instant at, List<Finding> found) {
    return request(account, fn, scanId, at, found);
  }

  private RecordRequest request(String account, String function, String scanId, Instant at, List<Finding> found) {
    try {
      ObjectNode event = (ObjectNode) json.mapper().readTree(Events.text("store-results", "scanned.json"));
      retarget(event, account, function, scanId);
      ((ObjectNode) event.path("state").path("trigger")).put("eventTime", at.toString());
      String indexKey = "reports/" + function + "/" + scanId + "/" + FindingsIndex.FILE_NAME;
      ((ObjectNode) event.path("state").path("scan")).put("findingsIndexKey", indexKey);
      s3.putObject(b -> b.bucket(bucket).key(indexKey),
          RequestBody.fromString(json.toJson(new FindingsIndex(FindingsIndex.SCHEMA_VERSION, false, found))));
      return json.mapper().treeToValue(event, RecordRequest.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void retarget(ObjectNode event, String account, String scanId) {
    retarget(event, account, fn, scanId);
  }

  private void retarget(ObjectNode event, String account, String function, String scanId) {
    event.put("executionArn", "arn:aws:states:us-east-1:" + ACCOUNT + ":execution:qualys-lambda-scanner:" + scanId);
    ObjectNode state = (ObjectNode) event.path("state");
    state.put("scanId", scanId);
    state.remove("dedupKey");
    ObjectNode target = (ObjectNode) state.path("target");
    target.put("accountId", account);
    target.put("functionName", function);
    target.put("functionArn", "arn:aws:lambda:us-east-1:" + account + ":function:" + function);
  }

  private StoreResults service(Instant now, URI securityHub, AwsCredentialsProvider credentials) {
    return service(now, securityHub, credentials, millis -> {});
  }

  private StoreResults service(Instant now, URI securityHub, AwsCredentialsProvider credentials,
      SecurityHubExport.Sleeper sleeper) {
    StoreResultsConfig config = new StoreResultsConfig(bucket, false, StoreResultsConfig.DEFAULT_SUPPRESSION_LIST_KEY,
        false, true, java.util.Set.of());
    FindingsContext context = new FindingsContext(storeResultsS3, config, json, log);
    SecurityHubClient client = new SecurityHubClient(http, region -> securityHub, json);
    SecurityHubExport export = new SecurityHubExport(true, client, (target, scanId) -> credentials.resolveCredentials(),
        context, log, sleeper);
    return service(now, export, config);
  }

  private StoreResults service(Instant now, SecurityHubExport export, StoreResultsConfig config) {
    return new StoreResults(storeResultsS3, config, json, log, new ResultRecordBuilder(),
        new ScanMetrics(json, line -> {}), Clock.fixed(now, ZoneOffset.UTC), FunctionTagger.disabled(log),
        new FindingsContext(storeResultsS3, config, json, log),
        Quarantine.disabled(log), export);
  }

  /** This test's function's findings in moto's Security Hub of the credentials' account, by Id. */
  private Map<String, JsonNode> findings(AwsCredentialsProvider credentials) {
    try {
      SecurityHubClient client = new SecurityHubClient(http, region -> AWS.moto().endpoint(), json);
      var response = client.post("us-east-1", credentials.resolveCredentials(), "/findings", json.mapper().createObjectNode());
      assertThat(response.status()).isEqualTo(200);
      Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
      for (JsonNode f : response.body().path("Findings")) {
        if (f.path("Resources").get(0).path("Details").path("AwsLambdaFunction").path("FunctionName").asText().equals(fn)) {
          byId.put(f.path("Id").asText(), f);
        }
      }
      return byId;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode byQid(Map<String, JsonNode> findings, String qid) {
    List<JsonNode> matching = new ArrayList<>();
    findings.values().forEach(f -> {
      if (f.path("ProductFields").path("qualys/QID").asText().equals(qid)) {
        matching.add(f);
      }
    });
    assertThat(matching).hasSize(1);
    return matching.getFirst();
  }

  private JsonNode read(String key) {
    try {
      return json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
