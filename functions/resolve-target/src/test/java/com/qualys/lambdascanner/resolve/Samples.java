package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample events in {@code events/}: the files users run are the files tests run. */
final class Samples {

  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  static final String ORDERS_API = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
  static final String ORDERS_IMAGE = "arn:aws:lambda:us-east-1:123456789012:function:orders-image";
  static final String SHARED_LIBS_3 = "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:3";
  static final String SHARED_LIBS_4 = "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:4";

  private static final JsonCodec JSON = new JsonCodec();

  private Samples() {}

  static Path root() {
    String property = System.getProperty("project.root");
    Path dir = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the events/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path path(String relative) {
    return root().resolve("events").resolve(relative);
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sample, parsed. */
  static ObjectNode event(String relative) {
    return (ObjectNode) tree(text(relative));
  }

  /** A sample with every occurrence of one string replaced (the integration test's unique names). */
  static ObjectNode event(String relative, String from, String to) {
    return (ObjectNode) tree(text(relative).replace(from, to));
  }

  static JsonNode tree(String json) {
    try {
      return JSON.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
