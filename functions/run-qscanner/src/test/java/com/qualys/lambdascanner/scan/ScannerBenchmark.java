package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.testing.Events;
import com.qualys.lambdascanner.testing.StandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench-scanner}: java-db downloads and seconds per scan over warm scans in one container, with the
 * container's java-db cache off (as before: every scan downloads it) and on, in one run. The scanner is the stand-in,
 * whose java-db download is modelled by a delay ({@code javaDbDownloadSeconds}, argument 2); the real download is
 * about 650 MiB (aquasecurity/trivy-java-db#37, 2024). Each scan runs as Run QScanner runs it: a fresh work folder,
 * java-db lent and settled, the same command line, the child's process tree. Benchmarks measure; nothing asserts.
 */
public final class ScannerBenchmark {

  private ScannerBenchmark() {}

  public static void main(String[] args) throws IOException {
    int scans = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    double downloadSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
    Path root = Files.createTempDirectory("bench-scanner-");
    try {
      Path qscanner = StandIn.copy(Events.root(), root.resolve("bin"));
      Files.writeString(qscanner.resolveSibling("scenarios.json"),
          "{\"default\": \"findings\", \"javaDbDownloadSeconds\": " + downloadSeconds + "}");
      System.out.printf("%d warm scans after one cold scan, java-db download modelled as %.1f s%n", scans,
          downloadSeconds);
      System.out.printf("%-28s %18s %18s %18s%n", "java-db", "downloads (warm)", "s/scan (median)", "s/scan (mean)");
      for (boolean cache : new boolean[] {false, true}) {
        Path workRoot = Files.createDirectories(root.resolve(cache ? "after" : "before"));
        run(qscanner, workRoot, cache); // the container's first scan: downloads either way
        List<Double> seconds = new ArrayList<>();
        int downloads = 0;
        for (int i = 0; i < scans; i++) {
          Instant start = Instant.now();
          if (run(qscanner, workRoot, cache) == JavaDbCache.Source.DOWNLOADED) {
            downloads++;
          }
          seconds.add(Duration.between(start, Instant.now()).toNanos() / 1e9);
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        System.out.printf("%-28s %18d %18.2f %18.2f%n",
            cache ? "once per container (after)" : "once per scan (before)", downloads,
            sorted.get(sorted.size() / 2), seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0));
      }
    } finally {
      WorkDir.delete(root);
    }
  }

  /** One scan as Run QScanner runs it, without the AWS calls around it. */
  private static JavaDbCache.Source run(Path qscanner, Path workRoot, boolean cache) {
    Config config = TestSupport.config(qscanner, workRoot, "bench", "arn", Config.GET_REPORT, "sarif");
    JavaDbCache javaDb = new JavaDbCache(workRoot, cache);
    try (WorkDir work = WorkDir.create(workRoot)) {
      Instant lentAt = Instant.now();
      boolean fresh = javaDb.lend(work.cache(), lentAt);
      List<String> command = QScannerCommand.build(config, TestSupport.zipTarget("orders-api"), "US1",
          new QScannerCommand.Run(Duration.ofSeconds(120), work.output(), work.cache(), fresh, false));
      Map<String, String> env = Map.of("HOME", work.home().toString(), "TMPDIR", work.tmp().toString(),
          "PATH", RunQScanner.PATH, "QUALYS_ACCESS_TOKEN", "bench", "AWS_REGION", TestSupport.REGION,
          "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench");
      ProcessResult result = ScannerProcess.run(command, env, work.root(), Duration.ofSeconds(180));
      if (result.exitCode() != 0) {
        throw new IllegalStateException("the stand-in exited " + result.exitCode() + ": " + result.stderr().tail(2048));
      }
      return javaDb.settle(work.cache(), fresh, lentAt);
    }
  }
}
