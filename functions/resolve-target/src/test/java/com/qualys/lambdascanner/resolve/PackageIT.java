package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment package, {@code target/function.zip}, run the way Lambda runs it: unpacked, on its own class
 * path, the handler built by its no-arg constructor (Dagger graph, configuration from the environment, SDK
 * endpoint from {@code AWS_ENDPOINT_URL}), fed the files in {@code events/}.
 */
class PackageIT {

  private static final String HANDLER = "com.qualys.lambdascanner.resolve.ResolveTargetHandler::handleRequest";

  @TempDir static Path work;
  private static Path classPath;
  @RegisterExtension static final EnforcedAws AWS = EnforcedAws.stack().build();

  private final JsonCodec json = new JsonCodec();
  private final String bucket = AWS.bucket();

  @BeforeAll
  static void unpack() throws IOException {
    classPath = work.resolve("function");
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of("target/function.zip")))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Path to = classPath.resolve(entry.getName()).normalize();
        if (!to.startsWith(classPath)) {
          throw new IOException("zip entry outside the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(zip, to);
        }
      }
    }
  }

  @Test
  void handleRequest_whenFailedCallSample_skipsFailedCall() throws Exception {
    JsonNode output = invoke(Samples.path("eventbridge/failed-call.json"));

    assertThat(output.path("decision").path("action").asText()).isEqualTo("SKIP");
    assertThat(output.path("decision").path("reason").asText()).isEqualTo("FAILED_CALL");
    assertThat(output.path("target").path("functionName").asText()).isEqualTo("orders-api");
  }

  @Test
  void handleRequest_whenDirectRequestForMissingFunction_asksTheEmulatorAndSkipsNotFound() throws Exception {
    String absent = "absent-" + UUID.randomUUID().toString().substring(0, 8);
    Path event = work.resolve("direct-" + absent + ".json");
    Files.writeString(event, Samples.text("direct/scan-function.json").replace("orders-api", absent));

    JsonNode output = invoke(event);

    assertThat(output.path("decision").path("reason").asText()).isEqualTo("NOT_FOUND");
    assertThat(output.path("target").path("functionName").asText()).isEqualTo(absent);
  }

  @Test
  void handleRequest_whenNotJson_failsWithInvalidInput() throws Exception {
    Path event = work.resolve("broken.json");
    Files.writeString(event, "{not json");

    Process process = start(event, work.resolve("broken-out.json"));

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("com.qualys.lambdascanner.common.error.InvalidInputException");
  }

  private JsonNode invoke(Path event) throws Exception {
    Path out = work.resolve("out-" + UUID.randomUUID() + ".json");
    Process process = start(event, out);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the function finished").isTrue();
    String console = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(console).isZero();
    try (InputStream in = Files.newInputStream(out)) {
      return json.mapper().readTree(in);
    }
  }

  private Process start(Path event, Path out) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = classPath + File.pathSeparator + classPath.resolve("lib") + File.separator + "*";
    Path runner = Path.of("src/test/resources/local-invoke/LocalInvoke.java").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(List.of(java, "-cp", cp, runner.toString(), HANDLER, event.toString(), out.toString()))
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    // As Lambda runs it: a session of its role, here through the emulator's enforcing endpoint.
    env.putAll(AWS.environment("ResolveTargetFunctionRole"));
    env.put("RESULTS_BUCKET", bucket);
    return builder.start();
  }
}
