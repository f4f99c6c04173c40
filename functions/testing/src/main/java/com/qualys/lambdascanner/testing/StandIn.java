package com.qualys.lambdascanner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stand-in scanner {@code local/qscanner}: its entry script {@code qscanner} and its package {@code standin/},
 * which only work together. Copies read {@code scenarios.json} from the folder they are copied into.
 */
public final class StandIn {

  private StandIn() {}

  /**
   * Copies the stand-in into {@code folder} (created if needed).
   *
   * @return the copied entry script, executable
   */
  public static Path copy(Path projectRoot, Path folder) {
    Path source = projectRoot.resolve("local/qscanner");
    try {
      Files.createDirectories(folder);
      Path script = folder.resolve("qscanner");
      Files.copy(source.resolve("qscanner"), script, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path target = folder.resolve("standin");
      Files.createDirectories(target);
      List<Path> modules;
      try (Stream<Path> files = Files.list(source.resolve("standin"))) {
        modules = files.filter(p -> p.getFileName().toString().endsWith(".py")).toList();
      }
      for (Path module : modules) {
        Files.copy(module, target.resolve(module.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the stand-in scanner local/qscanner into " + folder, e);
    }
  }
}
