package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaDbCacheTest {

  @TempDir Path root;

  private static void javaDb(Path cache, Instant downloadedAt) throws IOException {
    Path db = Files.createDirectories(cache.resolve("java-db"));
    Files.writeString(db.resolve("trivy-java.db"), "db");
    Files.writeString(db.resolve("metadata.json"), "{\"Version\":1,\"DownloadedAt\":\"" + downloadedAt + "\"}");
  }

  private Path scanCache(String name) throws IOException {
    return Files.createDirectories(root.resolve(name).resolve("cache"));
  }

  @Test
  void settleThenLend_whenDownloadedByAScan_nextScanGetsItFreshAndNothingElseOfTheCacheSurvives() throws IOException {
    JavaDbCache sut = new JavaDbCache(root, true);
    Instant start = Instant.now();
    Path first = scanCache("scan-1");
    assertThat(sut.lend(first, start)).isFalse();
    javaDb(first, start.plusSeconds(1));
    Files.writeString(first.resolve("creds.json"), "token cache");

    assertThat(sut.settle(first, false, start)).isEqualTo(JavaDbCache.Source.DOWNLOADED);
    Path second = scanCache("scan-2");
    boolean fresh = sut.lend(second, start.plusSeconds(60));

    assertThat(fresh).isTrue();
    assertThat(second.resolve("java-db/trivy-java.db")).exists();
    assertThat(second.resolve("creds.json")).doesNotExist();
    assertThat(sut.settle(second, fresh, start.plusSeconds(60))).isEqualTo(JavaDbCache.Source.CACHED);
    assertThat(root.resolve(JavaDbCache.FOLDER).resolve("java-db/trivy-java.db")).exists();
  }

  @Test
  void lend_whenOlderThanFiveDays_notFreshSoQScannerUpdatesIt() throws IOException {
    JavaDbCache sut = new JavaDbCache(root, true);
    Instant now = Instant.now();
    javaDb(root.resolve(JavaDbCache.FOLDER), now.minus(JavaDbCache.FRESH_FOR).minus(Duration.ofMinutes(1)));

    Path cache = scanCache("scan");
    assertThat(sut.lend(cache, now)).isFalse();
    assertThat(cache.resolve("java-db/trivy-java.db")).exists();
  }

  @Test
  void settle_whenQScannerCouldNotDownloadIt_offline() throws IOException {
    JavaDbCache sut = new JavaDbCache(root, true);

    assertThat(sut.settle(scanCache("scan"), false, Instant.now())).isEqualTo(JavaDbCache.Source.OFFLINE);
  }

  @Test
  void lend_whenTheContainerCacheIsOff_neverLendsAndKeepsNothing() throws IOException {
    JavaDbCache sut = new JavaDbCache(root, false);
    Instant start = Instant.now();
    Path cache = scanCache("scan");
    javaDb(cache, start.plusSeconds(1));

    assertThat(sut.settle(cache, false, start)).isEqualTo(JavaDbCache.Source.DOWNLOADED);
    assertThat(root.resolve(JavaDbCache.FOLDER)).doesNotExist();
    assertThat(sut.lend(scanCache("next"), start)).isFalse();
  }

  @Test
  void used_whenScanTypesReadJars_true() {
    assertThat(JavaDbCache.used(List.of("pkg", "secret"))).isTrue();
    assertThat(JavaDbCache.used(List.of("sca"))).isTrue();
    assertThat(JavaDbCache.used(List.of("secret", "os"))).isFalse();
  }
}
