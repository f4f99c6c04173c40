package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser streams: a 50 MB report parses in a JVM whose whole heap is capped at 256 MB. */
class ReportMemoryTest {

  @TempDir Path dir;

  @Test
  void parseReport_when50MbReportAndHeapCappedAt256Mb_succeeds() throws Exception {
    Path report = dir.resolve("big-Report.json");
    long written = ReportGenerator.write(report, 50L * 1024 * 1024);
    assertThat(Files.size(report)).isGreaterThanOrEqualTo(50L * 1024 * 1024);
    assertParsedInCappedHeap(report, written);
  }

  @Test
  void parseReport_when50MbSarifWithSeveritiesOnRulesAndHeapCappedAt256Mb_succeeds() throws Exception {
    Path report = dir.resolve("big-Report.sarif.json");
    long written = ReportGenerator.writeSarif(report, 50L * 1024 * 1024);
    assertThat(Files.size(report)).isGreaterThanOrEqualTo(45L * 1024 * 1024);
    assertParsedInCappedHeap(report, written);
  }

  private static void assertParsedInCappedHeap(Path report, long written) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReportParserMain.class.getName(),
                    report.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("findings=" + written + " total=" + written + " problem=null");
  }
}
