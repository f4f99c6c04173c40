package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.Paths.SCANNED;
import static com.qualys.lambdascanner.local.Paths.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ScannerPackaging image (issue 20): Run QScanner's container image built here without a daemon ({@link ScannerImage},
 * local/image/build-image.py) is a valid OCI image, and the pipeline scans through it: the emulator runs the image's
 * own entrypoint inside the image's root filesystem, whose JVM maps the AOT cache made in the image build.
 */
class ScannerImageIT {

  // The image is built (or found in its cache) when the class starts, before the pipeline that runs it.
  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      () -> PipelineSettings.Options.defaults().withScannerImage(ScannerImage.build(Samples.projectRoot()))
          .withMaxConcurrency(1));
  @InjectPipeline private static LocalPipeline pipeline;
  private static Path image;

  @BeforeAll
  static void build() {
    image = pipeline.options().scannerImage();
  }

  @Test
  void build_whenInputsUnchanged_expectationOneValidOciImageWithTheFunctionTheScannerAndTheRuntime() throws Exception {
    assertThat(ScannerImage.build(Samples.projectRoot())).as("cached by its inputs").isEqualTo(image);

    Path oci = image.resolve("oci");
    assertThat(Samples.json(Files.readString(oci.resolve("oci-layout"))).path("imageLayoutVersion").asText())
        .isEqualTo("1.0.0");
    JsonNode manifestRef = Samples.json(Files.readString(oci.resolve("index.json"))).path("manifests").get(0);
    JsonNode manifest = Samples.json(new String(blob(oci, manifestRef), StandardCharsets.UTF_8));
    JsonNode config = Samples.json(new String(blob(oci, manifest.path("config")), StandardCharsets.UTF_8));
    List<String> layers = new ArrayList<>();
    manifest.path("layers").forEach(layer -> {
      blob(oci, layer);
      layers.add(layer.path("digest").asText());
    });
    List<String> diffIds = new ArrayList<>();
    config.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
    assertThat(diffIds).as("uncompressed layers: diff_ids are their digests").isEqualTo(layers).hasSize(4);
    assertThat(config.path("config").path("Entrypoint").toString()).isEqualTo("[\"/lambda-entrypoint.sh\"]");
    assertThat(config.path("config").path("Cmd").toString())
        .isEqualTo("[\"com.qualys.lambdascanner.scan.RunQScannerHandler::handleRequest\"]");

    Path rootfs = image.resolve("rootfs");
    assertThat(rootfs.resolve("var/task/com/qualys/lambdascanner/scan/RunQScannerHandler.class")).isRegularFile();
    assertThat(rootfs.resolve("var/task/lib")).isDirectory();
    assertThat(rootfs.resolve("opt/bin/qscanner")).isExecutable();
    assertThat(rootfs.resolve("var/lang/bin/java")).isExecutable();
    assertThat(rootfs.resolve("lambda-entrypoint.sh")).isExecutable();
    assertThat(rootfs.resolve(ScannerImage.AOT_CACHE.substring(1))).as("the AOT cache trained in the build")
        .isNotEmptyFile();
    try (var jars = Files.list(rootfs.resolve("var/runtime/lib"))) {
      assertThat(jars.map(j -> j.getFileName().toString()))
          .anyMatch(j -> j.startsWith("aws-lambda-java-runtime-interface-client-"));
    }
  }

  @Test
  void execute_whenScannerPackagedAsImage_expectationScannedByTheImagesOwnRuntimeInItsRootFilesystem()
      throws IOException {
    JsonNode event = Samples.renamed("eventbridge/update-function-code.json", "orders-api", "orders-api-image");
    pipeline.ensureTarget(event);

    ExecutionReport report = pipeline.execute(event, Duration.ofMinutes(4));

    assertThat(report.status()).as(describe(report)).isEqualTo("SUCCEEDED");
    assertThat(report.stateNames()).containsExactlyElementsOf(SCANNED);
    JsonNode record = report.record();
    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("counts").path("urgent").asInt()).as("the run's scenario, mounted over the image's")
        .isEqualTo(1);
    assertThat(record.path("scanner").path("version").asText()).isEqualTo("4.8.0-standin");
    // The runtime that scanned: the image's JVM (its /var/lang/bin/java), rooted in the image's filesystem.
    List<Long> pids = pipeline.lambda().runtimePids("run-qscanner");
    assertThat(pids).isNotEmpty();
    ProcessHandle runtime = ProcessHandle.of(pids.getFirst()).orElseThrow();
    ProcessHandle jvm = java.util.stream.Stream.concat(java.util.stream.Stream.of(runtime), runtime.descendants())
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst().orElseThrow();
    assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(jvm.pid()), "root")))
        .isEqualTo(image.resolve("rootfs").toRealPath());
    assertThat(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "cmdline")))
        .startsWith("/var/lang/bin/java\0").contains("-XX:AOTCache=" + ScannerImage.AOT_CACHE + "\0");
    // The JVM took the cache (one it rejects, made for another JDK or class path, it does not map).
    assertThat(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "maps")))
        .as("the AOT cache mapped by the image's JVM").contains(ScannerImage.AOT_CACHE);
  }

  /** The blob a descriptor names, checked against its digest and size. */
  private static byte[] blob(Path oci, JsonNode descriptor) {
    String digest = descriptor.path("digest").asText();
    assertThat(digest).startsWith("sha256:");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      Path file = oci.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
      try (var in = new java.security.DigestInputStream(Files.newInputStream(file), sha)) {
        byte[] small = in.readNBytes(1 << 20);
        in.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat("sha256:" + HexFormat.of().formatHex(sha.digest())).as(file.toString()).isEqualTo(digest);
        assertThat(Files.size(file)).isEqualTo(descriptor.path("size").asLong());
        return small;
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
