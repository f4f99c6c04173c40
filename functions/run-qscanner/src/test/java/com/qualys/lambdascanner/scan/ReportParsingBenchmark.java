package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Report parsing throughput and memory. Generates a qscanner-shaped JSON report of the given size (MB, default
 * 100), parses it once to warm up and then {@code runs} times (default 3), and prints MB/s, findings/s and the
 * peak heap in use during the measured runs. Run it with a capped heap to see that the peak does not follow the
 * report's size (see docs/qscanner-integration.md for the command). Then the masked copy of the same file that Run
 * QScanner makes before reading it (MB/s scrubbed), and last what the function does, end to end: the file copied
 * masked and the copy parsed ({@link MaskedReports}), the figure issue 22 holds to 100 MB/s.
 */
public final class ReportParsingBenchmark {

  private ReportParsingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 100;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path file = Files.createTempFile("qscanner-bench-", "-Report.json");
    try {
      long written = ReportGenerator.write(file, megabytes * 1024 * 1024);
      double sizeMb = Files.size(file) / (1024.0 * 1024.0);
      System.out.printf("report: %.1f MB, %d findings; max heap %d MB%n", sizeMb, written, maxHeapMb());

      ReportParser.parseReport(file); // warm-up: class loading and JIT
      System.gc();
      List<MemoryPoolMXBean> heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
      heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
      long gcCountBefore = gcCount();
      long gcTimeBefore = gcTime();

      long nanos = 0;
      long findings = 0;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        ReportParser.ReportSummary summary = ReportParser.parseReport(file);
        nanos += System.nanoTime() - start;
        if (summary.problem() != null || summary.findings() != written) {
          throw new IllegalStateException("parse failed: " + summary.problem());
        }
        findings += summary.findings();
      }
      double seconds = nanos / 1e9;
      // Sum of per-pool peaks: an upper bound on the heap in use at any one moment.
      long peakBytes = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.out.printf(
          "parse: %d runs, %.2f s, %.1f MB/s, %.0f findings/s%n",
          runs, seconds, sizeMb * runs / seconds, findings / seconds);
      System.out.printf(
          "heap: peak in use %.1f MB (sum of pool peaks); GC %d collections, %d ms%n",
          peakBytes / (1024.0 * 1024.0), gcCount() - gcCountBefore, gcTime() - gcTimeBefore);
      scrub(file, sizeMb, runs);
      endToEnd(file, sizeMb, written, runs);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Secrets shaped like the real ones, none of them in the report: everything is decoded and looked through. */
  private static final SecretFinder FINDER = SecretFinder.of(List.of(
      new Secret("qualys-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJxdWFseXMifQ.c2lnbmF0dXJlLXZhbHVl"),
      new Secret("aws-secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
      new Secret("aws-session-token", "IQoJb3JpZ2luX2VjEFoaCXVzLWVhc3QtMSJHMEUCIQDk+7/sessionToken0123456789")));

  /** The masking copy alone (issue 22), the same file. */
  private static void scrub(Path file, double sizeMb, int runs) throws IOException {
    SecretScrubber scrubber = new SecretScrubber(FINDER);
    Path copy = Files.createTempFile("qscanner-bench-", "-masked.json");
    try {
      scrubber.copyRedacted(file, copy); // warm-up
      long nanos = 0;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        scrubber.copyRedacted(file, copy);
        nanos += System.nanoTime() - start;
      }
      double seconds = nanos / 1e9;
      System.out.printf("scrub: %d runs, %.2f s, %.1f MB/s%n", runs, seconds, sizeMb * runs / seconds);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /**
   * What Run QScanner does with qscanner's output, end to end: {@link MaskedReports#read} copies the output
   * directory masked and parses the copies (the report, handing on every finding for the index).
   */
  private static void endToEnd(Path file, double sizeMb, long written, int runs) throws IOException {
    Path root = Files.createTempDirectory("qscanner-bench-");
    Path output = Files.createDirectory(root.resolve("output"));
    Path copies = Files.createDirectory(root.resolve("upload"));
    try {
      Files.move(file, output.resolve("bench-Report.json"));
      MaskedReports.read(FINDER, output, copies, "Report.json", false); // warm-up
      long nanos = 0;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        MaskedReports read = MaskedReports.read(FINDER, output, copies, "Report.json", false);
        nanos += System.nanoTime() - start;
        if (read.report().problem() != null || read.report().findings() != written) {
          throw new IllegalStateException("read failed: " + read.report().problem());
        }
      }
      double seconds = nanos / 1e9;
      System.out.printf("read, masked and parsed (the function's MaskedReports): %d runs, %.2f s, %.1f MB/s%n",
          runs, seconds, sizeMb * runs / seconds);
      Files.move(output.resolve("bench-Report.json"), file);
    } finally {
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long maxHeapMb() {
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcTime() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }
}
