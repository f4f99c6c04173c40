package com.qualys.lambdascanner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample events in {@code events/}: the files users run are the files tests run. */
public final class Events {

  private static final JsonCodec JSON = new JsonCodec();

  private Events() {}

  /**
   * The project's root: {@code project.root} (the build sets it to the reactor's root), else the nearest directory
   * above the working directory that has {@code events/} (an IDE running one test).
   */
  public static Path root() {
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

  /** A file under {@code events/}, e.g. {@code path("store-results", "scanned.json")}. */
  public static Path path(String first, String... more) {
    return root().resolve("events").resolve(Path.of(first, more));
  }

  public static String text(String first, String... more) {
    try {
      return Files.readString(path(first, more));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON text as a tree. */
  public static JsonNode tree(String json) {
    try {
      return JSON.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Store Results or Notify input, as the state machine hands it over. */
  public static RecordRequest request(String function, String name) {
    try (InputStream in = Files.newInputStream(path(function, name))) {
      return JSON.read(in, RecordRequest.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
