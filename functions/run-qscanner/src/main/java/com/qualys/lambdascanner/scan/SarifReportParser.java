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
import java.util.List;
import java.util.Map;

/**
 * Reads {@code <id>-Report.sarif.json} the way Qualys's own public integrations around the same binary do: every
 * {@code runs[].results[]} entry is a finding, mapped with what its rule says by {@link SarifFindings} (both
 * layouts the integrations read).
 *
 * <p>Unlike those integrations, which count what they cannot read as informational, a result with no severity
 * anywhere, or no QID and no rule id, is counted as unmapped, and a run without a {@code results} array (SARIF's
 * "the tool did not produce results") is a problem: neither may end as a clean scan with zero findings.
 *
 * <p>Two streaming passes over the file: the rules first (they may come after the results; at most
 * {@link #MAX_RULES} kept, with at most {@link #MAX_RULE_TEXT} characters of text, past which the scan is partial),
 * then the results, each read as one small tree. Memory holds the rules and the bounded tally, not the report.
 */
final class SarifReportParser {

  private static final ObjectMapper MAPPER = new ObjectMapper(ReportParser.FACTORY);
  /** Rules kept at most: a hostile report cannot grow the map without bound. */
  static final int MAX_RULES = 500_000;
  /** Characters of rule text (CVE ids, titles) kept at most, about 32 MB: beyond it rules keep no text. */
  static final long MAX_RULE_TEXT = 32L << 20;

  private SarifReportParser() {}

  static ReportParser.ReportSummary parse(Path file) {
    return parse(file, finding -> {});
  }

  /** As {@link #parse(Path)}, handing every finding read to {@code each} too (for the findings index). */
  static ReportParser.ReportSummary parse(Path file, java.util.function.Consumer<Finding> each) {
    String name = String.valueOf(file.getFileName());
    FindingTally tally = new FindingTally(each);
    Rules rules = new Rules();
    try {
      String shape = walk(file, new Pass(rules, null));
      if (shape != null) {
        return tally.summary(name, name + " " + shape);
      }
      List<Integer> runsWithoutResults = new ArrayList<>();
      walk(file, new Pass(rules, tally, runsWithoutResults));
      List<String> problems = new ArrayList<>();
      if (!runsWithoutResults.isEmpty()) {
        problems.add(name + ": run " + runsWithoutResults + " has no results array (the scanner produced none)");
      }
      if (rules.cut > 0) {
        problems.add(name + " holds " + rules.cut + " rules past what the parser keeps (" + MAX_RULES
            + " rules, " + MAX_RULE_TEXT + " characters of CVE ids and titles): their results may lack them");
      }
      return tally.summary(name, problems.isEmpty() ? null : String.join("; ", problems));
    } catch (IOException | RuntimeException e) {
      return tally.summary(
          name, name + " is unreadable after " + tally.findings() + " findings: " + ReportParser.reason(e));
    }
  }

  /** The rules read in the first pass, by run and id and by run and index, within a bound. */
  private static final class Rules {
    final Map<String, SarifFindings.Rule> byKey = new HashMap<>();
    long text;
    long cut;

    void put(int run, int index, String id, SarifFindings.Rule rule) {
      long weight = rule.cves().stream().mapToLong(String::length).sum()
          + (rule.title() == null ? 0 : rule.title().length());
      if (byKey.size() >= 2L * MAX_RULES) {
        cut++;
        return;
      }
      if (text + weight > MAX_RULE_TEXT) {
        cut++;
        rule = new SarifFindings.Rule(rule.severity(), List.of(), rule.qds(), null);
      } else {
        text += weight;
      }
      byKey.put(run + "#" + index, rule);
      if (id != null) {
        byKey.put(run + ":" + id, rule);
      }
    }
  }

  /** One pass: with a tally it reads results, without it the rules. */
  private record Pass(Rules rules, FindingTally tally, List<Integer> runsWithoutResults) {
    Pass(Rules rules, FindingTally tally) {
      this(rules, tally, new ArrayList<>());
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
        rules(p, run, pass.rules());
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
            Finding finding = SarifFindings.finding(result, run, pass.rules().byKey);
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

  /** tool.driver.rules[]: each rule read as one small tree, what results take from it kept by id and by index. */
  private static void rules(JsonParser p, int run, Rules rules) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean driver = "driver".equals(p.currentName());
      if (p.nextToken() != JsonToken.START_OBJECT || !driver) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean rulesArray = "rules".equals(p.currentName());
        if (p.nextToken() != JsonToken.START_ARRAY || !rulesArray) {
          p.skipChildren();
          continue;
        }
        int index = 0;
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
          if (item == JsonToken.START_OBJECT) {
            JsonNode node = MAPPER.readTree(p);
            SarifFindings.Rule rule = SarifFindings.rule(node);
            if (rule != null) {
              rules.put(run, index, node.path("id").isTextual() ? node.get("id").asText() : null, rule);
            }
          } else {
            p.skipChildren();
          }
          index++;
        }
      }
    }
  }
}
