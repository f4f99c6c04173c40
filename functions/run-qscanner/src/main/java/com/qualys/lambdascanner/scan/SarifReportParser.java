package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.model.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code <id>-Report.sarif.json} the way Qualys's own public integrations around the same binary do
 * (nelssec/qualys-codebuild {@code QScannerRunner.parseSarifReport}, qualys-ado, qualys-jenkins): every
 * {@code runs[].results[]} entry is a finding, with {@code ruleId}, {@code level}, {@code message.text} and
 * {@code properties} {@code qid}, {@code cves}, {@code severity} (1..5), {@code cvssScore}, {@code packageName},
 * {@code installedVersion}, {@code fixedVersion}; the severity falls back to the rule's
 * {@code tool.driver.rules[].properties.severity}, then to {@code level} (error 5, warning 3, note 2, none 1).
 *
 * <p>Unlike those integrations, which count what they cannot read as informational, a result with no severity
 * anywhere, or no QID and no rule id, is counted as unmapped, and a run without a {@code results} array (SARIF's
 * "the tool did not produce results") is a problem: neither may end as a clean scan with zero findings.
 *
 * <p>Two streaming passes over the file: the rules first (they may come after the results; at most
 * {@link #MAX_RULES} kept, the rest fall back to the level), then the results,
 * each read as one small tree. Memory holds the rule severities and the bounded tally, not the report.
 */
final class SarifReportParser {

  private static final ObjectMapper MAPPER = new ObjectMapper(ReportParser.FACTORY);
  private static final Pattern QID_RULE = Pattern.compile("(?i)(?:qid[-_:]?)?([0-9]{1,12})");
  private static final int MAX_CVES = 20;
  /** Rule severities kept at most: a hostile report cannot grow the map without bound (results fall back). */
  static final int MAX_RULES = 500_000;

  private SarifReportParser() {}

  static ReportParser.ReportSummary parse(Path file) {
    return parse(file, finding -> {});
  }

  /** As {@link #parse(Path)}, handing every finding read to {@code each} too (for the findings index). */
  static ReportParser.ReportSummary parse(Path file, java.util.function.Consumer<Finding> each) {
    String name = String.valueOf(file.getFileName());
    FindingTally tally = new FindingTally(each);
    Map<String, Integer> ruleSeverity = new HashMap<>();
    try {
      String shape = walk(file, new Pass(ruleSeverity, null));
      if (shape != null) {
        return tally.summary(name, name + " " + shape);
      }
      List<Integer> runsWithoutResults = new ArrayList<>();
      walk(file, new Pass(ruleSeverity, tally, runsWithoutResults));
      String problem =
          runsWithoutResults.isEmpty()
              ? null
              : name + ": run " + runsWithoutResults + " has no results array (the scanner produced none)";
      return tally.summary(name, problem);
    } catch (IOException | RuntimeException e) {
      return tally.summary(
          name, name + " is unreadable after " + tally.findings() + " findings: " + ReportParser.reason(e));
    }
  }

  /** One pass: with a tally it reads results, without it the rules' severities. */
  private record Pass(Map<String, Integer> ruleSeverity, FindingTally tally, List<Integer> runsWithoutResults) {
    Pass(Map<String, Integer> ruleSeverity, FindingTally tally) {
      this(ruleSeverity, tally, new ArrayList<>());
    }

    boolean results() {
      return tally != null;
    }
  }

  /** Walks root → runs[] → tool.driver.rules[] / results[]; returns what is wrong with the shape, or null. */
  private static String walk(Path file, Pass pass) throws IOException {
    try (JsonParser p = ReportParser.FACTORY.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "is empty or not a SARIF object";
      }
      boolean runsSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("runs".equals(field) && value == JsonToken.START_ARRAY) {
          runsSeen = true;
          int run = 0;
          JsonToken item;
          while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
            if (item != JsonToken.START_OBJECT) {
              return "holds runs[" + run + "] that is not an object: not a SARIF report this parser understands";
            }
            run(p, run++, pass);
          }
        } else {
          p.skipChildren();
        }
      }
      return runsSeen ? null : "holds no runs[] array: not a SARIF report this parser understands";
    }
  }

  private static void run(JsonParser p, int run, Pass pass) throws IOException {
    boolean resultsSeen = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("tool".equals(field) && value == JsonToken.START_OBJECT && !pass.results()) {
        rules(p, run, pass.ruleSeverity());
      } else if ("results".equals(field) && value == JsonToken.START_ARRAY) {
        resultsSeen = true;
        if (!pass.results()) {
          p.skipChildren();
          continue;
        }
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
          if (item == JsonToken.START_OBJECT) {
            JsonNode result = MAPPER.readTree(p);
            Finding finding = finding(result, run, pass.ruleSeverity());
            if (finding == null) {
              pass.tally().unmapped();
            } else {
              pass.tally().add(finding);
            }
          } else {
            p.skipChildren();
            pass.tally().unmapped();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if (!resultsSeen && pass.results()) {
      pass.runsWithoutResults().add(run);
    }
  }

  /** tool.driver.rules[]: each rule read as one small tree, its severity kept by id and by index. */
  private static void rules(JsonParser p, int run, Map<String, Integer> ruleSeverity) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean driver = "driver".equals(p.currentName());
      if (p.nextToken() != JsonToken.START_OBJECT || !driver) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean rules = "rules".equals(p.currentName());
        if (p.nextToken() != JsonToken.START_ARRAY || !rules) {
          p.skipChildren();
          continue;
        }
        int index = 0;
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
          if (item == JsonToken.START_OBJECT) {
            JsonNode rule = MAPPER.readTree(p);
            Integer severity = severity(field(rule.path("properties"), "severity"));
            if (severity != null && ruleSeverity.size() < MAX_RULES) {
              ruleSeverity.put(run + "#" + index, severity);
              if (rule.path("id").isTextual()) {
                ruleSeverity.put(run + ":" + rule.get("id").asText(), severity);
              }
            }
          } else {
            p.skipChildren();
          }
          index++;
        }
      }
    }
  }

  /** The finding one result stands for, or null when it cannot be mapped. */
  static Finding finding(JsonNode result, int run, Map<String, Integer> ruleSeverity) {
    JsonNode props = result.path("properties");
    String ruleId = result.path("ruleId").isTextual() ? result.get("ruleId").asText() : null;
    Integer severity = severity(field(props, "severity"));
    if (severity == null && ruleId != null) {
      severity = ruleSeverity.get(run + ":" + ruleId);
    }
    if (severity == null && result.path("ruleIndex").canConvertToInt()) {
      severity = ruleSeverity.get(run + "#" + result.get("ruleIndex").asInt());
    }
    if (severity == null) {
      severity = level(result.path("level").asText(null));
    }
    String qid = text(field(props, "qid"));
    if (qid == null && ruleId != null && !ruleId.isBlank()) {
      Matcher m = QID_RULE.matcher(ruleId.strip());
      qid = ReportParser.clip(m.matches() ? m.group(1) : ruleId.strip());
    }
    if (severity == null || qid == null) {
      return null;
    }
    JsonNode software = field(props, "software");
    JsonNode firstSoftware = software != null && software.isArray() ? software.path(0) : null;
    String title = text(field(props, "title"));
    if (title == null) {
      title = text(result.path("message").path("text"));
    }
    return new Finding(
        qid,
        cves(props),
        severity,
        title,
        firstText(props, firstSoftware, "packagename", "name"),
        firstText(props, firstSoftware, "installedversion", "installedversion"),
        firstText(props, firstSoftware, "fixedversion", "fixedversion"), null, null);
  }

  /** A property by its name, ignoring case, '_' and '-' (QScanner versions spell them differently). */
  private static JsonNode field(JsonNode object, String normalName) {
    if (object == null || !object.isObject()) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (ReportParser.normal(entry.getKey()).equals(normalName)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static String firstText(JsonNode props, JsonNode software, String propName, String softwareName) {
    String value = text(field(props, propName));
    return value != null ? value : text(field(software, softwareName));
  }

  private static List<String> cves(JsonNode props) {
    JsonNode list = field(props, "cves");
    if (list == null) {
      list = field(props, "cveids");
    }
    List<String> cves = new ArrayList<>();
    if (list != null) {
      for (JsonNode cve : list.isArray() ? list : MAPPER.createArrayNode().add(list)) {
        String text = text(cve);
        if (text != null && text.startsWith("CVE-") && cves.size() < MAX_CVES) {
          cves.add(text);
        }
      }
    }
    return cves;
  }

  /** 1..5 as a number or a digit string; anything else (out of range, words, fractions) is no severity. */
  static Integer severity(JsonNode value) {
    if (value == null) {
      return null;
    }
    int n;
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      n = value.asInt();
    } else if (value.isTextual() && value.asText().strip().matches("[0-9]")) {
      n = Integer.parseInt(value.asText().strip());
    } else {
      return null;
    }
    return n >= 1 && n <= 5 ? n : null;
  }

  /** The integrations' fallback from a SARIF level; an absent or unknown level is no severity. */
  static Integer level(String level) {
    if (level == null) {
      return null;
    }
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "error" -> 5;
      case "warning" -> 3;
      case "note" -> 2;
      case "none" -> 1;
      default -> null;
    };
  }

  private static String text(JsonNode value) {
    if (value == null || !(value.isTextual() || value.isNumber())) {
      return null;
    }
    String text = value.asText().strip();
    return text.isEmpty() ? null : ReportParser.clip(text);
  }
}
