package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code make local MODE=fleet} as the Makefile runs it (LocalRun with its settings), default fleet and FLEET=file. */
class FleetLocalRunIT {

  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> settings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("MODE", "fleet");
    all.put("PROJECT_ROOT", Samples.projectRoot().toString());
    all.forEach(System::setProperty);
    int exit;
    try {
      exit = LocalRun.run(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      all.keySet().forEach(System::clearProperty);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void makeLocalFleet_whenDefaultFleetAsText_expectationConsoleTraceAndCoverageSummary() {
    Run run = run(Map.of());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Status     SUCCEEDED").contains("Enumerate Functions").contains("Scan Each Function")
        .contains("Build Coverage").contains("5 scanned, 1 excluded, 2 unreachable, 0 failed")
        .contains("sandbox-experiment").contains("QualysScan=false").contains("fleet-report.html");
  }

  /**
   * The page the run copied to target/local, as headless Chromium renders it: its figures are the coverage file's. A
   * screenshot lands beside it (docs/images/fleet-report.png is one).
   */
  @Test
  void makeLocalFleet_whenRunFinished_expectationPageInChromiumShowsTheCoverageFilesNumbers(@TempDir Path dir)
      throws Exception {
    Run run = run(Map.of("FORMAT", "json"));
    assertThat(run.exit()).as(run.err()).isZero();
    Path page = Path.of(Samples.json(run.out()).path("report").asText());
    JsonNode coverage = Samples.json(Files.readString(page.resolveSibling("fleet-coverage.json")));
    assertThat(coverage).isEqualTo(Samples.json(run.out()).path("coverage"));

    String dom = HeadlessChromium.dumpDom(page, dir);

    JsonNode summary = coverage.path("summary");
    assertThat(text(dom, "span id=\"coverage-percent\"")).isEqualTo(summary.path("coveragePercent").asText());
    assertThat(text(dom, "span id=\"scanned\"")).isEqualTo(summary.path("scanned").asText());
    assertThat(text(dom, "span id=\"eligible\"")).isEqualTo(Integer.toString(
        summary.path("total").asInt() - summary.path("excluded").asInt()));
    for (String count : new String[] {"total", "scanned", "excluded", "unreachable", "failed", "stale", "notScanned"}) {
      assertThat(text(dom, "td data-count=\"" + count + "\"")).as(count).isEqualTo(summary.path(count).asText());
    }
    // Not covered: every function neither SCANNED nor EXCLUDED, with its state; the riskiest: every one with findings.
    long gaps = 0;
    long withFindings = 0;
    for (JsonNode f : coverage.path("functions")) {
      String state = f.path("state").asText();
      if (!state.equals("SCANNED") && !state.equals("EXCLUDED")) {
        gaps++;
        assertThat(dom).contains(">" + f.path("functionName").asText() + "</td>");
      }
      withFindings += f.path("lastScan").path("highestSeverity").asInt() > 0 ? 1 : 0;
    }
    assertThat(count(dom, "<tr class=\"gap\">")).isEqualTo(gaps).isPositive();
    assertThat(count(dom, "<tr class=\"risk\">")).isEqualTo(withFindings).isPositive();
    assertThat(dom).doesNotContain("<script");
    HeadlessChromium.screenshot(page, page.resolveSibling("fleet-report.png"), dir, 1100, 1000);
  }

  /** The text of the first element whose start tag begins with {@code start}. */
  private static String text(String dom, String start) {
    int open = dom.indexOf("<" + start);
    assertThat(open).as(start + " in the page").isNotNegative();
    int from = dom.indexOf('>', open) + 1;
    return dom.substring(from, dom.indexOf('<', from));
  }

  private static long count(String dom, String needle) {
    long n = 0;
    for (int i = dom.indexOf(needle); i >= 0; i = dom.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void makeLocalFleet_whenFleetFileAndJson_expectationStatusSummaryAndScans(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fleet.json");
    // The shape docs/local.md documents (the example), plus an unreachable account.
    Files.writeString(file, """
        {"accounts": [{"accountId": "210987654321", "regions": ["eu-west-1"], "reachable": true,
          "functions": [{"name": "orders-api", "region": "eu-west-1", "packageType": "Zip",
                         "tags": {"team": "orders"}, "layers": ["arn:aws:lambda:eu-west-1:210987654321:layer:libs:3"]}]},
         {"accountId": "410987654321", "regions": ["eu-west-1"], "reachable": false, "functions": []}]}
        """);

    Run run = run(Map.of("FLEET", file.toString(), "FORMAT", "json"));

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode result = Samples.json(run.out());
    assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(result.path("scans").asInt()).isEqualTo(1);
    JsonNode summary = result.path("coverage").path("summary");
    for (String key : new String[] {"total", "scanned", "excluded", "unreachable", "failed", "notScanned",
        "coveragePercent"}) {
      assertThat(summary.has(key)).as(key).isTrue();
    }
    assertThat(summary.path("scanned").asInt()).isEqualTo(1);
    assertThat(summary.path("unreachable").asInt()).isEqualTo(1);
    assertThat(summary.path("coveragePercent").asDouble()).isEqualTo(50.0);
  }

  @Test
  void makeLocalFleet_whenFleetFileUnreadable_expectationExitTwoAndWhy(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fleet.json");
    Files.writeString(file, "{\"accounts\": [{\"accountId\": \"12\"}]}");

    Run run = run(Map.of("FLEET", file.toString()));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("FLEET=").contains("accountId");
  }
}
