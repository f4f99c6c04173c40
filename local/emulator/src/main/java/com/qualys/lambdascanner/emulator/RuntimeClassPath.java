package com.qualys.lambdascanner.emulator;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The class path of a function's JVM: the AWS Lambda Runtime Interface Client and its dependencies, nothing else (the
 * function's own classes come from its package, loaded by the RIC). The build records the jars relative to the local
 * Maven repository ({@code runtime-classpath.txt}); the system property {@code lambda.runtime.classpath} overrides.
 */
final class RuntimeClassPath {

  private static final String RECORDED = "runtime-classpath.txt";

  private RuntimeClassPath() {}

  static List<String> resolve() {
    String override = System.getProperty("lambda.runtime.classpath");
    if (override != null && !override.isBlank()) {
      return List.of(override.split(File.pathSeparator));
    }
    String recorded;
    try (InputStream in = RuntimeClassPath.class.getResourceAsStream(RECORDED)) {
      if (in == null) {
        throw new IllegalStateException(RECORDED + " is missing: build local/emulator with Maven");
      }
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path repository = localRepository();
    List<String> jars = Arrays.stream(recorded.split("\\|"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.replace("@M2_REPO@", repository.toString()))
        .toList();
    for (String jar : jars) {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("the Lambda runtime client jar " + jar + " is missing from the local Maven "
            + "repository; run ./mvnw -q -pl local/emulator install, or set -Dmaven.repo.local / "
            + "-Dlambda.runtime.classpath");
      }
    }
    return jars;
  }

  private static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }
}
