package com.qualys.lambdascanner.fleet.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet page as text: what it lists, and that nothing written by a scanned account becomes markup. */
class FleetReportHtmlTest {

  private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
  private final JsonCodec json = new JsonCodec();

  private static CoverageEntry entry(String name, CoverageState state, int severity, String error) {
    String arn = "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    return new CoverageEntry(arn, "123456789012", "us-east-1", name, "Zip", state, null, error,
        severity == 0 ? null : new CoverageEntry.LastScan("s-" + name, "SUCCEEDED", "2026-12-01T11:30:00Z", severity),
        true, null);
  }

  private static CoverageReport report(List<CoverageEntry> entries, List<String> notes) {
    return new CoverageReport("1.0", "run-1", null, "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z", "P7D",
        CoverageSummary.of(entries), List.of(), notes, entries);
  }

  @Test
  void render_whenValuesAreHostile_expectationEveryOneEscapedAndNoMarkupInjected() {
    List<CoverageEntry> entries = List.of(entry(HOSTILE, CoverageState.SCANNED, 5, null),
        entry("worker", CoverageState.FAILED, 0, HOSTILE));

    String html = FleetReportHtml.render(report(entries, List.of(HOSTILE)), Map.of(), null);

    assertThat(html).doesNotContain("<script").doesNotContain("<img")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;");
    // Self-contained: nothing is loaded from anywhere, and the page's policy forbids it even so.
    assertThat(html).doesNotContainIgnoringCase("src=\"").doesNotContainIgnoringCase("href=")
        .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(")
        .contains("default-src 'none'");
  }

  @Test
  void render_whenFindingsAndGaps_expectationRiskiestFirstGapsWithWhyAndChangesCounted() throws Exception {
    List<CoverageEntry> entries = List.of(entry("low", CoverageState.SCANNED, 2, null),
        entry("open-admin", CoverageState.SCANNED, 5, null), entry("mid", CoverageState.SCANNED, 5, null),
        entry("exploited", CoverageState.SCANNED, 3, null),
        entry("broken", CoverageState.FAILED, 0, "FAILED: TerminalException"),
        entry("opted-out", CoverageState.EXCLUDED, 0, null));
    JsonNode record = json.mapper().readTree("""
        {"counts": {"urgent": 3, "critical": 1}, "changes": {"comparedWith": "PREVIOUS",
         "newCounts": {"urgent": 2, "critical": 1}, "fixedCounts": {"medium": 4}}}""");
    JsonNode exploited = json.mapper().readTree("""
        {"topFindings": [{"severity": 3, "qds": 97}, {"severity": 2}]}""");
    JsonNode previous = json.mapper().readTree("""
        {"functions": [{"functionArn": "arn:aws:lambda:us-east-1:123456789012:function:low"},
                       {"functionArn": "arn:aws:lambda:us-east-1:123456789012:function:deleted"}]}""");

    String html = FleetReportHtml.render(report(entries, List.of()),
        Map.of("arn:aws:lambda:us-east-1:123456789012:function:open-admin", record,
            "arn:aws:lambda:us-east-1:123456789012:function:exploited", exploited), previous);

    assertThat(html).contains("<span id=\"coverage-percent\">80.0</span>", "<span id=\"scanned\">4</span>",
        "<span id=\"eligible\">5</span>", "<td data-count=\"failed\">1</td>");
    // A QDS of 97 outranks severity 5 without a QDS (risk 90); among equals, more urgent + critical findings first.
    assertThat(html).contains("data-risk=\"97\">97 critical</td>", "data-risk=\"20\">20 low</td>");
    assertThat(html.indexOf(">exploited<")).isLessThan(html.indexOf(">open-admin<"));
    assertThat(html.indexOf(">open-admin<")).isLessThan(html.indexOf(">mid<"));
    assertThat(html.indexOf(">mid<")).isLessThan(html.indexOf(">low<"));
    assertThat(html).contains("<td class=\"state\">FAILED</td><td>FAILED: TerminalException</td>")
        .doesNotContain(">opted-out<");
    assertThat(html).contains("<span id=\"functions-added\">5</span>", "<span id=\"functions-gone\">1</span>",
        "<span id=\"findings-new\">3</span>", "<span id=\"findings-fixed\">4</span>");
  }

  @Test
  void risk_whenRecordStoresItsRisk_expectationThatScoreOverItsTopFindings() throws Exception {
    CoverageEntry entry = entry("quiet", CoverageState.SCANNED, 5, null);
    JsonNode record = json.mapper().readTree("""
        {"risk": {"score": 35, "band": "LOW"}, "topFindings": [{"severity": 5}]}""");
    JsonNode older = json.mapper().readTree("""
        {"topFindings": [{"severity": 5}]}""");

    assertThat(FleetReportHtml.risk(entry, record)).isEqualTo(35);
    assertThat(FleetReportHtml.risk(entry, older)).as("a record from before risk was stored").isEqualTo(90);
    assertThat(FleetReportHtml.risk(entry, json.mapper().readTree("{\"risk\": {\"score\": 1000}}"))).isEqualTo(100);
  }
}
