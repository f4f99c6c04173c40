package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.emulator.InvokeResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sam local invoke -e events/<function>/<sample>.json <Function>}, without Docker: each function runs from its
 * built package alone (function.zip, unpacked as Lambda does), with the Handler string of template.yaml, through the
 * AWS Lambda Runtime Interface Client, against resources provisioned in moto. Every sample meant for a function must
 * give its typed output (or the documented skip).
 */
class SamLocalInvokeIT {

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings");
  @InjectPipeline private static LocalPipeline pipeline;

  @TestFactory
  Stream<DynamicTest> invoke_whenSampleEvent_expectationTypedOutput() {
    Stream<DynamicTest> resolve = Stream.of("eventbridge", "direct", "resolve-target")
        .flatMap(Samples::jsonFiles)
        .map(file -> sample("resolve-target", file, SamLocalInvokeIT::resolvedScan));
    Stream<DynamicTest> others = Stream.of(
            sampleSet("fetch-credentials", SamLocalInvokeIT::credentialRefs),
            sampleSet("run-qscanner", SamLocalInvokeIT::scanResult),
            sampleSet("store-results", SamLocalInvokeIT::storedRecord),
            sampleSet("notify", SamLocalInvokeIT::notificationResult))
        .flatMap(s -> s);
    return Stream.concat(resolve, others);
  }

  @TestFactory
  Stream<DynamicTest> handler_whenTemplateNamesIt_expectationContractHandlerString() {
    Optional<Template> template = Template.find(Samples.projectRoot());
    return PipelineSettings.FUNCTIONS.stream().map(f -> DynamicTest.dynamicTest(f.logicalId(), () -> {
      assertThat(template).as("template.yaml").isPresent();
      assertThat(template.get().handler(f.logicalId())).hasValue(f.defaultHandler());
    }));
  }

  private static Stream<DynamicTest> sampleSet(String function, BiConsumer<String, JsonNode> check) {
    List<Path> files = Samples.jsonFiles(function).toList();
    if (files.isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest(function + ": samples", () ->
          assertThat(files).as("events/" + function + "/*.json").isNotEmpty()));
    }
    return files.stream().map(file -> sample(function, file, check));
  }

  private static DynamicTest sample(String function, Path file, BiConsumer<String, JsonNode> check) {
    return DynamicTest.dynamicTest(function + " " + Samples.events().relativize(file), () -> {
      String payload = Samples.text(file)
          .replace(Samples.EXAMPLE_SECRET_ARN, pipeline.secretArn())
          .replace("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", pipeline.secretVersionId());
      JsonNode event = Samples.json(payload);
      if (function.equals("resolve-target")) {
        pipeline.ensureTarget(event.has("event") ? event.path("event") : event);
      }
      if (function.equals("run-qscanner")) {
        // Run QScanner checks that the code it scans is the code Resolve Target saw: the sample's target must be
        // the function as it exists here, with its real code sha (as it would be in the user's account).
        payload = payload.replace(event.path("target").path("codeSha256").asText(), codeSha256(event.path("target")));
      }

      InvokeResult result = pipeline.lambda().invoke(function, payload);

      assertThat(result.succeeded()).as(result.toString()).isTrue();
      assertThat(result.payloadText()).doesNotContain(pipeline.token());
      check.accept(file.getFileName().toString(), Samples.json(result.payloadText()));
    });
  }

  private static String codeSha256(JsonNode target) {
    String function = target.path("functionArn").asText();
    int version = target.path("version").asInt();
    pipeline.ensureTarget(Samples.json("{\"functionArn\": \"" + function + "\"}"));
    var lambda = pipeline.lambdaControl();
    // An earlier sample may have created the function without this version: publish up to it (moto numbers
    // versions 1, 2, ... and publishes only after a change).
    for (int v = lambda.listVersionsByFunction(b -> b.functionName(function)).versions().size(); v <= version; v++) {
      String description = "sample version " + v;
      lambda.updateFunctionConfiguration(b -> b.functionName(function).description(description));
      lambda.publishVersion(b -> b.functionName(function));
    }
    return lambda.getFunction(b -> b.functionName(function + ":" + version)).configuration().codeSha256();
  }

  private static void resolvedScan(String sample, JsonNode out) {
    assertThat(out.path("scanId").asText()).isNotBlank();
    assertThat(out.path("decision").path("action").asText()).isIn("SCAN", "SKIP");
    assertThat(out.path("trigger").isObject()).as(out.toString()).isTrue();
    if (sample.startsWith("failed-call")) {
      assertThat(out.path("decision").path("action").asText()).isEqualTo("SKIP");
      assertThat(out.path("decision").path("reason").asText()).isEqualTo("FAILED_CALL");
    }
    if (sample.startsWith("wrapped")) {
      assertThat(out.path("scanId").asText()).as("the execution name").isNotBlank().doesNotContain(":");
    }
    if (out.path("decision").path("action").asText().equals("SCAN")) {
      assertThat(out.path("target").path("functionName").asText()).isNotBlank();
      assertThat(out.path("target").path("codeSha256").asText()).isNotBlank();
      assertThat(out.path("dedupKey").asText()).isNotBlank();
    }
    if (sample.startsWith("create-function-image") && out.path("target").isObject()) {
      assertThat(out.path("target").path("packageType").asText()).isEqualTo("Image");
    }
  }

  private static void credentialRefs(String sample, JsonNode out) {
    assertThat(out.path("secretArn").asText()).isEqualTo(pipeline.secretArn());
    assertThat(out.path("secretVersionId").asText()).isEqualTo(pipeline.secretVersionId());
    assertThat(out.path("pod").asText()).isEqualTo("US1");
    assertThat(out.path("authKind").asText()).isEqualTo("ACCESS_TOKEN");
  }

  private static void scanResult(String sample, JsonNode out) {
    assertThat(out.path("outcome").asText()).isIn("COMPLETED", "POLICY_ALLOW", "POLICY_AUDIT", "POLICY_DENY",
        "PARTIAL");
    assertThat(out.path("reportBucket").asText()).isEqualTo(pipeline.bucket());
    assertThat(out.path("reportKeys")).isNotEmpty();
    out.path("reportKeys").forEach(key -> assertThat(pipeline.s3()
        .headObject(b -> b.bucket(pipeline.bucket()).key(key.asText())).contentLength()).isPositive());
  }

  private static void storedRecord(String sample, JsonNode out) {
    assertThat(out.path("bucket").asText()).isEqualTo(pipeline.bucket());
    assertThat(out.path("key").asText()).startsWith("results/account=123456789012/region=us-east-1/date=");
    String expected = switch (sample.replace(".json", "")) {
      case "failed" -> "FAILED";
      case "skipped" -> "SKIPPED";
      case "timed-out" -> "TIMED_OUT";
      case "partial" -> "PARTIAL";
      case "code-changed" -> "CODE_CHANGED";
      default -> null;
    };
    if (expected != null) {
      assertThat(out.path("status").asText()).isEqualTo(expected);
    } else {
      assertThat(out.path("status").asText()).isIn("SUCCEEDED", "POLICY_DENY", "POLICY_AUDIT", "PARTIAL");
    }
    String stored = pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket()).key(out.path("key").asText()))
        .asUtf8String();
    assertThat(Samples.json(stored).path("status").asText()).isEqualTo(out.path("status").asText());
  }

  private static void notificationResult(String sample, JsonNode out) {
    assertThat(out.path("topicArn").asText()).isEqualTo(pipeline.topicArn());
    assertThat(out.path("messageId").asText()).isNotBlank();
    assertThat(out.path("subject").asText()).isNotBlank();
  }
}
