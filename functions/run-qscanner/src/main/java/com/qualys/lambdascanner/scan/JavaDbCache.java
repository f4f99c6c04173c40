package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Trivy's Java index database (java-db), kept once per container instead of once per scan. QScanner's README v4.8.0
 * ("Java Index Database"): with a scan type that reads JAR files, qscanner downloads java-db (large, from ghcr.io)
 * into {@code <cache dir>/java-db} and refreshes it after 5 days; if the download fails it silently falls back to
 * offline mode ("Offline Scan": Java package identification substantially degrades).
 *
 * <p>Each scan keeps its own cache directory (the token cache {@code creds.json} and any scan cache must not
 * survive it). Only {@code java-db/} moves: from the container's folder into the scan's cache directory before the
 * scan, and back after it, whatever qscanner did to it (a rename within /tmp, so nothing is copied). While it is
 * fresh (downloaded less than 5 days ago) qscanner gets {@code --skip-java-db-update=true} (the README's air-gapped
 * recipe) and does not even check. A Lambda container runs one invocation at a time, so no two scans share it.
 */
final class JavaDbCache {

  static final String FOLDER = "qscanner-java-db";
  static final String JAVA_DB = "java-db";
  static final Duration FRESH_FOR = Duration.ofDays(5);
  private static final List<String> JAVA_SCAN_TYPES = List.of("pkg", "sca");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a scan had java-db: the values of {@code ScanResult.javaDb}. */
  enum Source {
    DOWNLOADED,
    CACHED,
    OFFLINE
  }

  private final Path container;
  private final boolean enabled;

  /**
   * @param workRoot TMPDIR, /tmp in Lambda: the container's java-db lives in {@code <workRoot>/qscanner-java-db}
   * @param enabled false: every scan starts without java-db (downloads it), as before the container cache
   */
  JavaDbCache(Path workRoot, boolean enabled) {
    this.container = workRoot.resolve(FOLDER);
    this.enabled = enabled;
  }

  /** Whether qscanner reads java-db at all with these scan types. */
  static boolean used(List<String> scanTypes) {
    return scanTypes.stream().anyMatch(JAVA_SCAN_TYPES::contains);
  }

  /**
   * Before the scan: moves the container's java-db into the scan's cache directory.
   *
   * @return whether it is fresh, i.e. qscanner gets {@code --skip-java-db-update=true}
   */
  boolean lend(Path scanCache, Instant now) {
    Path kept = container.resolve(JAVA_DB);
    if (!enabled || !Files.isDirectory(kept)) {
      return false;
    }
    Instant downloadedAt = downloadedAt(kept);
    try {
      Files.move(kept, scanCache.resolve(JAVA_DB), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return false;
    }
    return downloadedAt != null && downloadedAt.isAfter(now.minus(FRESH_FOR));
  }

  /**
   * After the scan: how qscanner had java-db, and the database moved back to the container's folder for the next
   * scan (only the {@code java-db/} folder; the rest of the scan's cache goes with its work folder).
   *
   * @param fresh what {@link #lend} returned
   * @param startedAt when the scan started: a java-db downloaded since was downloaded by it
   */
  Source settle(Path scanCache, boolean fresh, Instant startedAt) {
    Path used = scanCache.resolve(JAVA_DB);
    Instant downloadedAt = Files.isDirectory(used) ? downloadedAt(used) : null;
    Source source =
        downloadedAt == null ? Source.OFFLINE
            : fresh || downloadedAt.isBefore(startedAt) ? Source.CACHED
            : Source.DOWNLOADED;
    if (enabled && downloadedAt != null) {
      try {
        Files.createDirectories(container);
        WorkDir.delete(container.resolve(JAVA_DB));
        Files.move(used, container.resolve(JAVA_DB), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // The next scan downloads it again: slower, not wrong.
      }
    }
    return source;
  }

  /**
   * {@code DownloadedAt} of Trivy's {@code java-db/metadata.json}, else the file's modification time; null when
   * there is no database.
   */
  static Instant downloadedAt(Path javaDb) {
    Path metadata = javaDb.resolve("metadata.json");
    if (!Files.isRegularFile(metadata)) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(metadata.toFile());
      if (node.path("DownloadedAt").isTextual()) {
        return Instant.parse(node.get("DownloadedAt").asText());
      }
      return Files.getLastModifiedTime(metadata).toInstant();
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }
}
