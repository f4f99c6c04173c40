package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample inputs users run are the ones the tests run. */
final class Events {

  private Events() {}

  static Path root() {
    return Path.of(System.getProperty("project.root", "../.."));
  }

  static Path path(String function, String name) {
    return root().resolve("events").resolve(function).resolve(name);
  }

  static RecordRequest request(String function, String name) {
    try (InputStream in = Files.newInputStream(path(function, name))) {
      return new JsonCodec().read(in, RecordRequest.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
