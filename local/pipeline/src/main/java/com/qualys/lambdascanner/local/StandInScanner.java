package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

/** The stand-in scanner local/qscanner (its entry script, its package and the leak corpus), copied into the run's work folder, and the scenarios it plays. */
final class StandInScanner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StandInScanner() {}

  /** The entry script and its package standin/ (only the two together run); returns the copied script. */
  static Path copy(Path projectRoot, Path workDir) {
    Path source = projectRoot.resolve("local/qscanner");
    try {
      Path folder = Files.createDirectories(workDir.resolve("qscanner"));
      Path copy = folder.resolve("qscanner");
      Files.copy(source.resolve("qscanner"), copy, StandardCopyOption.REPLACE_EXISTING);
      // The leak-corpus scenarios' generator, which the script imports from its own folder.
      Files.copy(source.resolve("leak_corpus.py"), folder.resolve("leak_corpus.py"), StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path standin = Files.createDirectories(folder.resolve("standin"));
      try (Stream<Path> modules = Files.list(source.resolve("standin"))) {
        for (Path module : modules.filter(p -> p.toString().endsWith(".py")).toList()) {
          Files.copy(module, standin.resolve(module.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the stand-in scanner local/qscanner", e);
    }
  }

  /**
   * Which scenario the scanner at {@code qscanner} plays: {@code byFunction} maps a target function name to a
   * scenario, the rest get {@code defaultScenario}. Takes effect at the next scan (the scanner reads the file each
   * run).
   */
  static void scenarios(Path qscanner, URI endpoint, String defaultScenario, Map<String, String> byFunction) {
    ObjectNode config = JSON.createObjectNode();
    config.put("default", defaultScenario);
    ObjectNode functions = config.putObject("functions");
    byFunction.forEach(functions::put);
    // Where the change-code scenario deploys the target's new code: this emulator.
    config.put("endpoint", endpoint.toString());
    try {
      Files.writeString(qscanner.resolveSibling("scenarios.json"), JSON.writeValueAsString(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
