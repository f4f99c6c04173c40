package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The sample events under events/, as users run them with {@code sam local invoke -e}. */
final class Samples {

  static final ObjectMapper JSON = new ObjectMapper();
  /** The example secret ARN the samples and events/env.json name; the local secret has moto's own suffix. */
  static final String EXAMPLE_SECRET_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-lambda-scanner/qualys-AbCdEf";

  private Samples() {}

  static Path projectRoot() {
    return Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
  }

  static Path events() {
    return projectRoot().resolve("events");
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample with the function name replaced, so that each test scans its own function (no dedup between tests). */
  static JsonNode renamed(String relativePath, String from, String to) {
    return json(text(events().resolve(relativePath)).replace("\"" + from, "\"" + to)
        .replace(":function:" + from, ":function:" + to));
  }

  static Stream<Path> jsonFiles(String folder) {
    Path dir = events().resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
