package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.SCAN_FAILED;
import static com.qualys.lambdascanner.local.Paths.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22: a stand-in scanner that writes its own credentials (the Qualys access token, then the client id and
 * secret, and the AWS keys it was given) in every encoding of local/qscanner/leak_corpus.py into every file and
 * stream it produces, once succeeding and once failing, through the whole pipeline. The last test reads every sink
 * back (execution histories, function logs, every object in the results bucket, the SNS messages, the Security Hub
 * findings and the functions' tags) and looks for each credential with {@link LeakDecoder}, the test's own decoder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeakCorpusIT {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  /** Shaped like real ones: characters that encodings change, so each encoding differs from the value. */
  private static final String TOKEN = "eyJhbGciOi.qualys+Tok3n/with=Special~chars_" + System.nanoTime();
  private static final String CLIENT_ID = "client-id/" + System.nanoTime() + "+local";
  private static final String CLIENT_SECRET = "cl1ent-Secret/Value+" + System.nanoTime() + "==";
  private static final List<String> FUNCTIONS = List.of("leaky-token", "leaky-client", "leaky-error");

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("store-results", "SECURITY_HUB_EXPORT", "true")
          .withEnvironment("store-results", "TAG_SCANNED_FUNCTIONS", "true")
          .withEnvironment("run-qscanner", "QSCANNER_SBOM_FORMATS", "cyclonedx,spdx")
          .withMaxConcurrency(2));
  @InjectPipeline private static LocalPipeline pipeline;
  @InjectPipeline private static Leaks leaks;
  @InjectPipeline private static Scans scans;

  @Test
  @Order(1)
  void execute_whenScannerWritesItsTokenInEveryEncoding_expectationScannedWithMaskedReports() {
    pipeline.putQualysSecret("{\"accessToken\": \"" + TOKEN + "\"}");

    ExecutionReport report = scan("leaky-token", "leak-corpus");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    assertThat(report.record().path("reportKeys").size()).as("report, ScanResult and two SBOMs").isEqualTo(4);
    for (JsonNode key : report.record().path("reportKeys")) {
      String stored = pipeline.resultObject(key.asText());
      assertThat(stored).as(key.asText()).contains("[REDACTED:qualys-token:");
      // The corpus, masked, in a document still valid: 30 or more encodings of each credential (the token, the AWS
      // secret key and session token).
      assertThat(LocalPipeline.parse(stored).path("LeakCorpus").size()).as(key.asText())
          .isGreaterThanOrEqualTo(3 * 30);
    }
  }

  @Test
  @Order(2)
  void execute_whenScannerWritesItsClientSecretInEveryEncoding_expectationScannedWithMaskedReports() {
    pipeline.putQualysSecret("{\"clientId\": \"" + CLIENT_ID + "\", \"clientSecret\": \"" + CLIENT_SECRET + "\"}");

    ExecutionReport report = scan("leaky-client", "leak-corpus");

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    String storedReport = pipeline.resultObject(report.record().path("reportKeys").get(0).asText());
    assertThat(storedReport).contains("[REDACTED:qualys-client-secret:");
  }

  @Test
  @Order(3)
  void execute_whenFailingScannerWritesItsCredentialsInEveryEncoding_expectationFailedWithAMaskedCause() {
    ExecutionReport report = scan("leaky-error", "leak-corpus-error");

    assertThat(report.stateNames()).as(describe(report)).containsExactlyElementsOf(SCAN_FAILED);
    assertThat(report.history().toString()).contains("qscanner exited 1").contains("[REDACTED:");
  }

  @Test
  @Order(100)
  void sinks_afterTheCorpusScans_expectationNoFormOfAnyCredentialAnywhere() {
    Map<String, String> sinks = new LinkedHashMap<>(leaks.artifacts());
    String hubKey = pipeline.credentialsFor(PipelineSettings.DEFAULT_ACCOUNT).resolveCredentials().accessKeyId();
    sinks.put("security hub", pipeline.moto().securityHubFindings(hubKey, PipelineSettings.DEFAULT_REGION));
    for (String function : FUNCTIONS) {
      sinks.put("tags " + function, scans.tags(function).toString());
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put(TOKEN, "the Qualys token");
    secrets.put(CLIENT_SECRET, "the Qualys client secret");
    secrets.put(CLIENT_ID, "the Qualys client id");
    pipeline.secrets().forEach(s -> secrets.putIfAbsent(s, "an issued AWS secret (" + s.substring(0, 4) + "...)"));
    LeakDecoder decoder = new LeakDecoder(secrets);
    // The decoder can find: the corpus as the scanner wrote it, in one of its encodings.
    assertThat(decoder.find("x " + java.util.Base64.getEncoder().encodeToString(("AWS:" + TOKEN).getBytes())))
        .containsExactly("the Qualys token");

    List<String> found = new ArrayList<>();
    sinks.forEach((where, text) -> decoder.find(text).forEach(secret -> found.add(where + " holds " + secret)));

    assertThat(sinks.keySet()).anyMatch(k -> k.startsWith("history ")).anyMatch(k -> k.startsWith("log "))
        .anyMatch(k -> k.startsWith("s3 reports/")).anyMatch(k -> k.startsWith("s3 results/"))
        .anyMatch(k -> k.startsWith("sns message "));
    assertThat(sinks.get("security hub")).as("findings were exported").contains("AwsLambdaFunction");
    assertThat(String.join("\n", sinks.values())).as("the corpus went through").contains("[REDACTED:qualys-token:")
        .contains("[REDACTED:qualys-client-secret:").contains("[REDACTED:aws-secret-key:");
    assertThat(found).as("credentials found in " + sinks.size() + " sinks").isEmpty();
  }

  private static ExecutionReport scan(String functionName, String scenario) {
    pipeline.scenarios("findings", Map.of(functionName, scenario));
    return scans.run(scans.target(functionName));
  }
}
