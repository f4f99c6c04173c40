package com.qualys.lambdascanner.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One fresh folder per invocation under TMPDIR (/tmp in Lambda, the only writable place), holding qscanner's
 * HOME, TMPDIR, output and cache. qscanner's cache is not shared between runs (a shared cache can block
 * concurrent instances), and nothing a scan left behind survives it: /tmp outlives invocations in a warm
 * container.
 */
final class WorkDir implements AutoCloseable {

  static final String PREFIX = "qscanner-run-";

  private final Path root;

  private WorkDir(Path root) {
    this.root = root;
  }

  static WorkDir create(Path workRoot) {
    try {
      Files.createDirectories(workRoot);
      removeStale(workRoot);
      Path root =
          Files.createTempDirectory(
              workRoot, PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (String sub : new String[] {"home", "tmp", "output", "cache", "upload"}) {
        Files.createDirectory(root.resolve(sub));
      }
      return new WorkDir(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create qscanner's work folder under " + workRoot, e);
    }
  }

  Path root() {
    return root;
  }

  Path home() {
    return root.resolve("home");
  }

  Path tmp() {
    return root.resolve("tmp");
  }

  Path output() {
    return root.resolve("output");
  }

  Path cache() {
    return root.resolve("cache");
  }

  /** Empties the output folder, for a second run of qscanner in the same invocation. */
  void emptyOutput() {
    delete(output());
    try {
      Files.createDirectory(output());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make qscanner's output folder again", e);
    }
  }

  /** Where the masked copies of the output files are made: all that follows the scan reads and uploads these. */
  Path upload() {
    return root.resolve("upload");
  }

  @Override
  public void close() {
    delete(root);
  }

  /**
   * A container runs one invocation at a time, so any earlier work folder belongs to an invocation that was cut
   * short (a Lambda timeout): remove it before /tmp fills up.
   */
  private static void removeStale(Path workRoot) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(workRoot, PREFIX + "*")) {
      for (Path dir : stale) {
        delete(dir);
      }
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // Best effort: the next invocation's removeStale tries again.
                }
              });
    } catch (IOException | UncheckedIOException ignored) {
      // Same.
    }
  }
}
