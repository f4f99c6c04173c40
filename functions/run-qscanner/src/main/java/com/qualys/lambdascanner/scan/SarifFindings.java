package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.VulnerablePackage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps one SARIF rule and one SARIF result to a {@link Finding}, in either of the two layouts Qualys's public
 * integrations read (names matched ignoring case, {@code _} and {@code -}):
 *
 * <ul>
 *   <li>qualys-jenkins' {@code SarifParser} (the most complete reader, pinned to QScanner 4.8.0-2): the rule's
 *       {@code properties} carry {@code severity} (else {@code customerSeverity}), {@code cve-ids} and {@code qds}
 *       (a string), its {@code shortDescription.text} the title; the result's {@code properties} carry {@code QID}
 *       and {@code vulnerableSoftware[]} ({@code name}, {@code installedVersion}, {@code fixedVersion},
 *       {@code layerSHA}).
 *   <li>qualys-ado / qualys-codebuild: everything flat on the result's {@code properties} ({@code qid},
 *       {@code cves}, {@code severity}, {@code packageName}, {@code installedVersion}, {@code fixedVersion}).
 * </ul>
 *
 * <p>What the result says wins over its rule; a result with no severity of its own takes its rule's, then its
 * {@code level}'s. Fail safe where the integrations are lenient: no severity 1..5 anywhere, or no QID and no rule
 * id, is no finding (the caller counts it as unmapped).
 */
final class SarifFindings {

  private static final Pattern QID_RULE = Pattern.compile("(?i)(?:qid[-_:]?)?([0-9]{1,12})");
  private static final int MAX_CVES = 20;
  /**
   * Packages kept per finding: the top findings travel in the state (256 KB at most), and one QID rarely hits more
   * than a few packages of one function.
   */
  static final int MAX_PACKAGES = 10;

  private SarifFindings() {}

  /**
   * What a result takes from its rule.
   *
   * @param severity Qualys severity 1..5, or null
   * @param cves the rule's {@code cve-ids}
   * @param qds the Qualys Detection Score 1..100, or null
   * @param title the rule's short description
   */
  record Rule(Integer severity, List<String> cves, Integer qds, String title) {}

  /** The rule's part, or null when it carries nothing a result could take. */
  static Rule rule(JsonNode rule) {
    JsonNode props = rule.path("properties");
    Integer severity = severity(field(props, "severity"));
    if (severity == null) {
      severity = severity(field(props, "customerseverity"));
    }
    if (severity == null) {
      severity = level(rule.path("defaultConfiguration").path("level").asText(null));
    }
    List<String> cves = cves(props);
    Integer qds = qds(field(props, "qds"));
    String title = text(rule.path("shortDescription").path("text"));
    if (severity == null && cves.isEmpty() && qds == null && title == null) {
      return null;
    }
    return new Rule(severity, cves, qds, title);
  }

  /** The finding one result stands for, or null when it cannot be mapped. */
  static Finding finding(JsonNode result, int run, Map<String, Rule> rules) {
    JsonNode props = result.path("properties");
    String ruleId = result.path("ruleId").isTextual() ? result.get("ruleId").asText() : null;
    Rule rule = ruleId == null ? null : rules.get(run + ":" + ruleId);
    if (rule == null && result.path("ruleIndex").canConvertToInt()) {
      rule = rules.get(run + "#" + result.get("ruleIndex").asInt());
    }
    Integer severity = severity(field(props, "severity"));
    if (severity == null && rule != null) {
      severity = rule.severity();
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
    List<String> cves = cves(props);
    if (cves.isEmpty() && rule != null) {
      cves = rule.cves();
    }
    Integer qds = qds(field(props, "qds"));
    if (qds == null && rule != null) {
      qds = rule.qds();
    }
    String title = text(field(props, "title"));
    if (title == null) {
      title = text(result.path("message").path("text"));
    }
    if (title == null && rule != null) {
      title = rule.title();
    }
    List<VulnerablePackage> packages = packages(props);
    VulnerablePackage first = packages.isEmpty() ? null : packages.get(0);
    String packageName = firstText(props, "packagename", "affectedpackage");
    String installed = firstText(props, "installedversion", "packageversion");
    String fixed = text(field(props, "fixedversion"));
    if (packageName == null && installed == null && first != null) {
      packageName = first.name();
      installed = first.installedVersion();
      fixed = first.fixedVersion();
    }
    if (packages.isEmpty() && (packageName != null || installed != null)) {
      packages = List.of(new VulnerablePackage(packageName, installed, fixed, null));
    }
    return new Finding(qid, cves, severity, title, packageName, installed, fixed, qds, packages);
  }

  /** {@code vulnerableSoftware[]} (jenkins' layout), else {@code software[]} (an older spelling). */
  private static List<VulnerablePackage> packages(JsonNode props) {
    JsonNode list = field(props, "vulnerablesoftware");
    if (list == null || !list.isArray()) {
      list = field(props, "software");
    }
    List<VulnerablePackage> packages = new ArrayList<>();
    if (list != null && list.isArray()) {
      for (JsonNode software : list) {
        String name = text(field(software, "name"));
        String installed = text(field(software, "installedversion"));
        if ((name != null || installed != null) && packages.size() < MAX_PACKAGES) {
          packages.add(
              new VulnerablePackage(
                  name, installed, text(field(software, "fixedversion")), text(field(software, "layersha"))));
        }
      }
    }
    return packages;
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

  private static String firstText(JsonNode props, String name, String otherName) {
    String value = text(field(props, name));
    return value != null ? value : text(field(props, otherName));
  }

  /** {@code cves} (flat layout) or {@code cve-ids} (the rules of jenkins' layout). */
  private static List<String> cves(JsonNode props) {
    JsonNode list = field(props, "cves");
    if (list == null) {
      list = field(props, "cveids");
    }
    List<String> cves = new ArrayList<>();
    if (list != null) {
      for (JsonNode cve : list.isArray() ? list : List.of(list)) {
        String text = text(cve);
        if (text != null && text.startsWith("CVE-") && cves.size() < MAX_CVES) {
          cves.add(text);
        }
      }
    }
    return List.copyOf(cves);
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

  /** The QDS, 1..100, a number or (as jenkins reads it) a string such as "95" or "95.0"; anything else is none. */
  static Integer qds(JsonNode value) {
    return value == null || !(value.isNumber() || value.isTextual()) ? null : qds(value.asText());
  }

  /** As {@link #qds(JsonNode)}, from the value's text. */
  static Integer qds(String value) {
    String text = value == null ? "" : value.strip();
    if (!text.matches("[0-9]{1,3}(\\.0+)?")) {
      return null;
    }
    int n = Integer.parseInt(text.replaceFirst("\\..*", ""));
    return n >= 1 && n <= 100 ? n : null;
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
