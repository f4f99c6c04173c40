package com.qualys.lambdascanner.local;

import com.qualys.lambdascanner.emulator.LocalLambda;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run QScanner's container image for the local run (ScannerPackaging image), built without a daemon by
 * local/image/build-image.py: a Debian base made here, this JDK 25, the Runtime Interface Client, run-qscanner's
 * package and the stand-in scanner. Cached under target/image/ by its inputs: only the first build takes minutes.
 */
public final class ScannerImage {

  /** Where the image has its scanner, as functions/run-qscanner/Dockerfile (and the layer) put it. */
  static final String QSCANNER = "/opt/bin/qscanner";
  /** The stand-in's scenarios beside it; each run lays its own over this one. */
  static final String SCENARIOS = "/opt/bin/scenarios.json";

  private ScannerImage() {}

  /** Where the image's JVM finds its AOT cache (build-image.py --aot). */
  static final String AOT_CACHE = "/var/runtime/aot/function.aot";

  /**
   * Builds the image if its inputs changed and returns its folder (rootfs/, oci/, config.*): the image as shipped,
   * with the Java 25 AOT cache trained in its build (it halves the init: docs/performance.md).
   */
  public static Path build(Path projectRoot) {
    return build(projectRoot, true);
  }

  /**
   * As {@link #build(Path)}, with or without the AOT cache (build-image.py --aot); each kind is cached apart, so that
   * the cold-start benchmark compares both.
   */
  public static Path build(Path projectRoot, boolean aotCache) {
    Path zip = projectRoot.resolve("functions/run-qscanner/target/function.zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("no deployment package for run-qscanner at " + zip
          + " (build it first: ./mvnw -q install -DskipTests)");
    }
    try {
      Path defaults = Files.createDirectories(projectRoot.resolve("target/image")).resolve("scenarios.json");
      Files.writeString(defaults, "{\"default\": \"clean\"}\n");
      List<String> command = new ArrayList<>(List.of(System.getProperty("python", "python3"),
          projectRoot.resolve("local/image/build-image.py").toString(), projectRoot.resolve("target/image").toString(),
          "--jdk", System.getProperty("java.home"), "--function-zip", zip.toString(),
          "--qscanner", projectRoot.resolve("local/qscanner/qscanner").toString(),
          "--extra", defaults + "=" + SCENARIOS));
      // The stand-in's package beside its script (standin/, leak_corpus.py): build-image.py takes them with it.
      if (aotCache) {
        command.add("--aot");
      }
      for (String jar : LocalLambda.runtimeClassPath()) {
        command.add("--jar");
        command.add(jar);
      }
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.waitFor() != 0 || out.isEmpty()) {
        throw new IllegalStateException("the scanner image build failed (local/image/build-image.py; as root, with "
            + "mmdebstrap installed: make tools)");
      }
      return Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the scanner image", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the scanner image", e);
    }
  }
}
