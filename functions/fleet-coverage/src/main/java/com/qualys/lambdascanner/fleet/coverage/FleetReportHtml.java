package com.qualys.lambdascanner.fleet.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fleet run as one self-contained HTML page, {@code coverage/latest.html} beside {@code coverage/latest.json}: the
 * coverage figure, the riskiest functions (by {@link RiskScore}), what is not covered and why, and what changed since the last run. No
 * script, font, image or style sheet is loaded from anywhere (inline CSS only, and a Content-Security-Policy that
 * forbids the rest), so it opens from S3, a mail attachment or a disk alike. Every value is HTML-escaped: function
 * names, tags-derived reasons and errors are written by whoever controls the scanned accounts.
 */
final class FleetReportHtml {

  /** Rows listed per table; the coverage file lists every function. */
  static final int MAX_ROWS = 200;
  static final int RISKIEST = 20;
  private static final String[] SEVERITY = {"none", "minimal", "medium", "serious", "critical", "urgent"};

  private FleetReportHtml() {}

  /**
   * @param report this run's coverage
   * @param latestByArn each inventoried function's latest record, by function ARN (those that have one)
   * @param previous the previous run's coverage, null on the first run
   */
  static String render(CoverageReport report, Map<String, JsonNode> latestByArn, JsonNode previous) {
    CoverageSummary s = report.summary();
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Lambda fleet coverage ").append(esc(number(s.coveragePercent()))).append("%</title>")
        .append("<style>").append(STYLE).append("</style></head><body>\n");
    html.append("<header><h1>Lambda fleet coverage</h1><p>Run <code id=\"run-id\">").append(esc(report.runId()))
        .append("</code>, generated <span id=\"generated-at\">").append(esc(report.generatedAt()))
        .append("</span>; a scan stays fresh for ").append(esc(report.rescanAfter())).append(".</p></header>\n");

    int eligible = s.total() - s.excluded();
    html.append("<section class=\"figure\"><div class=\"big\"><span id=\"coverage-percent\">")
        .append(esc(number(s.coveragePercent()))).append("</span>%</div><div><span id=\"scanned\">").append(s.scanned())
        .append("</span> of <span id=\"eligible\">").append(eligible).append("</span> eligible functions scanned")
        .append("<div class=\"bar\"><div style=\"width:").append(esc(number(Math.min(100, s.coveragePercent()))))
        .append("%\"></div></div></div></section>\n");
    html.append("<table id=\"summary\"><tr>");
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("total", s.total());
    counts.put("scanned", s.scanned());
    counts.put("excluded", s.excluded());
    counts.put("unreachable", s.unreachable());
    counts.put("failed", s.failed());
    counts.put("stale", s.stale());
    counts.put("notScanned", s.notScanned());
    counts.forEach((k, v) -> html.append("<th>").append(esc(k)).append("</th>"));
    html.append("</tr><tr>");
    counts.forEach((k, v) -> html.append("<td data-count=\"").append(esc(k)).append("\">").append(v).append("</td>"));
    html.append("</tr></table>\n");

    riskiest(html, report.functions(), latestByArn);
    notCovered(html, report.functions());
    changes(html, report.functions(), latestByArn, previous);
    if (!report.notes().isEmpty()) {
      html.append("<section id=\"notes\"><h2>Notes</h2><ul>");
      report.notes().forEach(n -> html.append("<li>").append(esc(n)).append("</li>"));
      html.append("</ul></section>\n");
    }
    html.append("<footer>The full list, one entry per function: <code>coverage/runs/").append(esc(report.runId()))
        .append(".json</code> (docs/fleet.md).</footer>\n</body></html>\n");
    return html.toString();
  }

  /** Scanned functions with findings by risk (RiskScore), then by urgent and critical findings. */
  private static void riskiest(StringBuilder html, List<CoverageEntry> entries, Map<String, JsonNode> latest) {
    List<CoverageEntry> scanned = entries.stream()
        .filter(e -> e.lastScan() != null && e.lastScan().highestSeverity() > 0)
        .sorted(Comparator.comparingInt((CoverageEntry e) -> risk(e, latest.get(e.functionArn())))
            .thenComparingInt(e -> severe(latest.get(e.functionArn())))
            .reversed().thenComparing(e -> String.valueOf(e.functionName())))
        .limit(RISKIEST).toList();
    html.append("<section id=\"riskiest\"><h2>Riskiest functions</h2>");
    if (scanned.isEmpty()) {
      html.append("<p>No scanned function has a finding.</p></section>\n");
      return;
    }
    html.append("<table><tr><th>Function</th><th>Account</th><th>Region</th><th>Risk</th><th>Highest severity</th>")
        .append("<th>Urgent + critical</th><th>Last scan</th></tr>");
    for (CoverageEntry e : scanned) {
      int sev = Math.clamp(e.lastScan().highestSeverity(), 0, 5);
      int risk = risk(e, latest.get(e.functionArn()));
      html.append("<tr class=\"risk\"><td class=\"fn\">").append(esc(e.functionName())).append("</td><td>")
          .append(esc(e.accountId())).append("</td><td>").append(esc(e.region())).append("</td><td class=\"sev\" ")
          .append("data-risk=\"").append(risk).append("\">").append(risk).append(" ")
          .append(RiskScore.Band.of(risk).name().toLowerCase(Locale.ROOT)).append("</td><td class=\"sev s").append(sev)
          .append("\" data-severity=\"").append(sev).append("\">").append(sev).append(" ").append(SEVERITY[sev])
          .append("</td><td>").append(severe(latest.get(e.functionArn()))).append("</td><td>")
          .append(esc(e.lastScan().at())).append("</td></tr>");
    }
    html.append("</table></section>\n");
  }

  /**
   * The function's risk as its latest record stores it ({@code risk.score}, over all its findings); a record written
   * before it had one: from its top findings (their severity and QDS); without them, what its highest severity alone
   * gives.
   */
  static int risk(CoverageEntry entry, JsonNode record) {
    JsonNode stored = record == null ? null : record.path("risk").path("score");
    if (stored != null && stored.canConvertToInt()) {
      return Math.clamp(stored.asInt(), 0, 100);
    }
    List<Finding> findings = new ArrayList<>();
    if (record != null) {
      for (JsonNode f : record.path("topFindings")) {
        findings.add(new Finding(null, null, f.path("severity").asInt(0), null, null, null, null,
            f.path("qds").canConvertToInt() ? f.path("qds").asInt() : null, null));
      }
    }
    if (findings.isEmpty() && entry.lastScan() != null) {
      findings.add(new Finding(null, null, entry.lastScan().highestSeverity(), null, null, null, null, null, null));
    }
    return RiskScore.ofFunction(findings);
  }

  private static void notCovered(StringBuilder html, List<CoverageEntry> entries) {
    List<CoverageEntry> gaps = entries.stream()
        .filter(e -> e.state() != CoverageState.SCANNED && e.state() != CoverageState.EXCLUDED).toList();
    html.append("<section id=\"not-covered\"><h2>Not covered, and why</h2>");
    if (gaps.isEmpty()) {
      html.append("<p>Every eligible function has a fresh scan.</p></section>\n");
      return;
    }
    html.append("<table><tr><th>Function</th><th>Account</th><th>Region</th><th>State</th><th>Why</th></tr>");
    for (CoverageEntry e : gaps.subList(0, Math.min(MAX_ROWS, gaps.size()))) {
      String why = e.error() != null ? e.error() : e.reason();
      html.append("<tr class=\"gap\"><td class=\"fn\">").append(esc(e.functionName())).append("</td><td>")
          .append(esc(e.accountId())).append("</td><td>").append(esc(e.region())).append("</td><td class=\"state\">")
          .append(esc(e.state().name())).append("</td><td>").append(esc(why)).append("</td></tr>");
    }
    html.append("</table>");
    more(html, gaps.size());
    html.append("</section>\n");
  }

  /**
   * Functions found now and not in the previous run (and the reverse), and the findings this run's scans brought and
   * fixed: each scanned function's record compares its findings with its previous scan.
   */
  private static void changes(StringBuilder html, List<CoverageEntry> entries, Map<String, JsonNode> latest,
      JsonNode previous) {
    html.append("<section id=\"changes\"><h2>New and fixed since the last run</h2>");
    if (previous == null) {
      html.append("<p>First run: nothing to compare with.</p>");
    } else {
      Set<String> before = new HashSet<>();
      previous.path("functions").forEach(f -> {
        if (f.path("functionArn").isTextual()) {
          before.add(f.path("functionArn").asText());
        }
      });
      Set<String> now = new HashSet<>();
      int added = 0;
      for (CoverageEntry e : entries) {
        if (e.functionArn() != null && now.add(e.functionArn()) && !before.contains(e.functionArn())) {
          added++;
        }
      }
      long gone = before.stream().filter(arn -> !now.contains(arn)).count();
      html.append("<p><span id=\"functions-added\">").append(added).append("</span> functions found since the last run, ")
          .append("<span id=\"functions-gone\">").append(gone).append("</span> no longer found.</p>");
    }
    List<String[]> rows = new ArrayList<>();
    int newTotal = 0;
    int fixedTotal = 0;
    for (CoverageEntry e : entries) {
      JsonNode changes = e.scannedThisRun() ? latest.getOrDefault(e.functionArn(), null) : null;
      changes = changes == null ? null : changes.path("changes");
      if (changes == null || !"PREVIOUS".equals(changes.path("comparedWith").asText())) {
        continue;
      }
      int added = total(changes.path("newCounts"));
      int fixed = total(changes.path("fixedCounts"));
      if (added + fixed > 0) {
        newTotal += added;
        fixedTotal += fixed;
        rows.add(new String[] {e.functionName(), e.accountId(), e.region(), Integer.toString(added),
            Integer.toString(fixed)});
      }
    }
    html.append("<p><span id=\"findings-new\">").append(newTotal).append("</span> new findings and <span id=")
        .append("\"findings-fixed\">").append(fixedTotal).append("</span> fixed in functions rescanned this run.</p>");
    if (!rows.isEmpty()) {
      html.append("<table><tr><th>Function</th><th>Account</th><th>Region</th><th>New</th><th>Fixed</th></tr>");
      for (String[] row : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
        html.append("<tr class=\"change\">");
        for (String cell : row) {
          html.append("<td>").append(esc(cell)).append("</td>");
        }
        html.append("</tr>");
      }
      html.append("</table>");
      more(html, rows.size());
    }
    html.append("</section>\n");
  }

  private static void more(StringBuilder html, int rows) {
    if (rows > MAX_ROWS) {
      html.append("<p>and ").append(rows - MAX_ROWS).append(" more (the coverage file lists them all).</p>");
    }
  }

  private static int severe(JsonNode record) {
    return record == null ? 0 : record.path("counts").path("urgent").asInt(0)
        + record.path("counts").path("critical").asInt(0);
  }

  private static int total(JsonNode counts) {
    int sum = 0;
    for (String k : List.of("urgent", "critical", "serious", "medium", "minimal")) {
      sum += Math.max(0, counts.path(k).asInt(0));
    }
    return sum;
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Text and attribute values alike: the five characters HTML gives meaning to. */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;\
      color:#1d2330;padding:0 16px}
      h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px}header p{color:#5b6475;margin:4px 0 16px}
      .figure{display:flex;gap:24px;align-items:center;background:#f4f6fa;border-radius:8px;padding:16px 20px}
      .big{font-size:44px;font-weight:700}.bar{background:#dde2ea;border-radius:4px;height:10px;width:420px;\
      margin-top:8px}.bar div{background:#2e7d32;height:10px;border-radius:4px}
      table{border-collapse:collapse;width:100%;margin-top:8px}th,td{text-align:left;padding:5px 8px;\
      border-bottom:1px solid #e3e7ee;overflow-wrap:break-word;vertical-align:top}th{background:#f4f6fa;font-weight:600}
      td.fn,td.state,td.sev{white-space:nowrap}
      #summary td{font-size:18px;font-weight:600}
      .sev{font-weight:600}.s5{color:#b71c1c}.s4{color:#d84315}.s3{color:#ef6c00}.s2{color:#9e7d00}.s1{color:#546e7a}
      .state{font-weight:600}footer{margin-top:28px;color:#5b6475}code{background:#eef1f6;padding:1px 4px;\
      border-radius:3px}
      """;
}
