package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The e-mail subject, e.g. {@code [DENY] orders-api: 2 urgent, 5 critical (123456789012/us-east-1)}. SNS
 * accepts at most {@value #MAX_LENGTH} printable ASCII characters with no line breaks, starting with a letter,
 * digit or punctuation: anything else is replaced, and a long subject loses its location first, then its end.
 */
final class Subjects {

  static final int MAX_LENGTH = 100;

  private static final String ELLIPSIS = "...";

  private Subjects() {}

  static String subject(ScanSummary s) {
    String label =
        switch (s.status()) {
          case SUCCEEDED -> "SCANNED";
          case POLICY_DENY -> quarantined(s) ? "DENY, QUARANTINED" : "DENY";
          case POLICY_AUDIT -> "AUDIT";
          case PARTIAL -> "PARTIAL";
          case CODE_CHANGED -> "CODE CHANGED";
          case FAILED -> "FAILED";
          case TIMED_OUT -> "TIMED OUT";
          case SKIPPED -> "SKIPPED";
        };
    String name = s.functionName() == null || s.functionName().isBlank() ? "unknown function" : s.functionName();
    String changes = changes(s);
    String head =
        changes == null
            ? "[" + label + "] " + name + ": " + detail(s)
            : "[" + label + "] " + changes.replace("{name}", name);
    String location =
        s.accountId() == null || s.region() == null ? "" : " (" + s.accountId() + "/" + s.region() + ")";
    return fit(sanitize(head), sanitize(location));
  }

  private static String detail(ScanSummary s) {
    return switch (s.status()) {
      case FAILED -> "scan failed" + errorName(s);
      case TIMED_OUT -> "scan did not finish in time";
      case CODE_CHANGED -> "code changed during the scan, no verdict";
      case SKIPPED -> "not scanned" + (s.skipReason() == null ? "" : ", " + s.skipReason().name().toLowerCase());
      default -> findings(s.counts(), s.secretsFound());
    };
  }

  private static String errorName(ScanSummary s) {
    if (s.error() == null || s.error().type() == null) {
      return "";
    }
    String type = s.error().type();
    int dot = type.lastIndexOf('.');
    String simple =
        type.startsWith("States.") || type.startsWith("Lambda.") || dot < 0 ? type : type.substring(dot + 1);
    return " (" + simple + ")";
  }

  private static boolean quarantined(ScanSummary s) {
    return s.quarantine() != null && QuarantineResult.QUARANTINED.equals(s.quarantine().status());
  }

  /**
   * What is new, first: {@code 2 new critical in {name}; 1 fixed}, or null when there is nothing to compare (a
   * failure, a skip, an uncompared scan) or nothing found at all (then the counts say it better).
   */
  private static String changes(ScanSummary s) {
    FindingChanges c = s.changes();
    if (c == null
        || !(FindingChanges.PREVIOUS.equals(c.comparedWith()) || FindingChanges.NONE.equals(c.comparedWith()))
        || (c.newCounts().total() == 0 && c.fixedCounts().total() == 0 && c.persistingCounts().total() == 0)) {
      return null;
    }
    String added = c.newCounts().total() == 0 ? "no new findings" : named(c.newCounts(), "new ");
    StringBuilder out = new StringBuilder(added).append(" in {name}");
    if (c.fixedCounts().total() > 0) {
      out.append("; ").append(c.fixedCounts().total()).append(" fixed");
    }
    if (s.secretsFound() > 0) {
      out.append("; ").append(s.secretsFound()).append(s.secretsFound() == 1 ? " secret" : " secrets");
    }
    return out.toString();
  }

  /** The two most severe non-zero counts, e.g. {@code 1 new urgent, 2 new critical}. */
  private static String named(SeverityCounts c, String qualifier) {
    List<String> parts = new ArrayList<>();
    int[] values = {c.urgent(), c.critical(), c.serious(), c.medium(), c.minimal()};
    String[] names = {"urgent", "critical", "serious", "medium", "minimal"};
    for (int i = 0; i < values.length && parts.size() < 2; i++) {
      if (values[i] > 0) {
        parts.add(values[i] + " " + qualifier + names[i]);
      }
    }
    return String.join(", ", parts);
  }

  /** The two most severe non-zero counts: what decides whether someone opens the mail now. */
  static String findings(SeverityCounts c, int secrets) {
    List<String> parts = new ArrayList<>();
    int[] values = {c.urgent(), c.critical(), c.serious(), c.medium(), c.minimal()};
    String[] names = {"urgent", "critical", "serious", "medium", "minimal"};
    for (int i = 0; i < values.length && parts.size() < 2; i++) {
      if (values[i] > 0) {
        parts.add(values[i] + " " + names[i]);
      }
    }
    if (parts.isEmpty()) {
      parts.add("no vulnerabilities");
    }
    if (secrets > 0) {
      parts.add(secrets + (secrets == 1 ? " secret" : " secrets"));
    }
    return String.join(", ", parts);
  }

  /** Printable ASCII only, one line, no runs of spaces. */
  static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(cp -> out.append(cp >= 0x20 && cp <= 0x7E ? (char) cp : Character.isWhitespace(cp) ? ' ' : '?'));
    return out.toString().replaceAll(" {2,}", " ");
  }

  private static String fit(String head, String location) {
    if (head.length() + location.length() <= MAX_LENGTH) {
      return head + location;
    }
    if (head.length() <= MAX_LENGTH) {
      return head;
    }
    return head.substring(0, MAX_LENGTH - ELLIPSIS.length()).stripTrailing() + ELLIPSIS;
  }
}
