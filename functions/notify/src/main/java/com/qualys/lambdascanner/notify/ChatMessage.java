package com.qualys.lambdascanner.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.List;
import java.util.Locale;

/**
 * The message for Slack and Microsoft Teams: AWS Chatbot's (Amazon Q Developer in chat applications) custom
 * notification format ({@code version 1.0}, {@code source custom}, markdown {@code content}, {@code metadata}
 * with a thread per function), built from the summary. Which scans go to chat is {@link #wanted}. Free text from
 * a report (finding titles) is stripped of what chat markdown would act on (mentions, links, formatting).
 */
final class ChatMessage {

  static final int MAX_TITLE = 250;
  static final int MAX_DESCRIPTION = 4000;
  private static final int MAX_LISTED = 5;
  private static final String[] NAMES = {"", "minimal", "medium", "serious", "critical", "urgent"};

  private ChatMessage() {}

  /**
   * Whether a scan goes to chat: a failure or timeout always; otherwise when what it brings reaches {@code min}
   * (the new findings' highest severity or risk when compared, else the scan's highest severity or the function's
   * risk). A scan of an older change never does.
   */
  static boolean wanted(ScanSummary s, Threshold min) {
    if (s.status() == RecordStatus.FAILED || s.status() == RecordStatus.TIMED_OUT) {
      return true;
    }
    FindingChanges c = s.changes();
    if (c != null && FindingChanges.NEWER_SCAN_EXISTS.equals(c.comparedWith())) {
      return false;
    }
    boolean compared = c != null
        && (FindingChanges.PREVIOUS.equals(c.comparedWith()) || FindingChanges.NONE.equals(c.comparedWith()));
    return compared
        ? min.reachedBy(c.newHighestSeverity(), c.newHighestRisk())
        : min.reachedBy(s.highestSeverity(), s.risk() == null ? 0 : s.risk().score());
  }

  static String build(JsonCodec json, ScanSummary s) {
    ObjectNode root = json.mapper().createObjectNode();
    root.put("version", "1.0");
    root.put("source", "custom");
    root.put("id", s.scanId());
    ObjectNode content = root.putObject("content");
    content.put("textType", "client-markdown");
    content.put("title", clip(icon(s) + " " + (s.headline() == null ? String.valueOf(s.status()) : s.headline()), MAX_TITLE));
    content.put("description", clip(description(s), MAX_DESCRIPTION));
    ArrayNode next = content.putArray("nextSteps");
    if (s.recordBucket() != null && s.recordKey() != null) {
      next.add("Record: `s3://" + s.recordBucket() + "/" + s.recordKey() + "`");
    }
    if (s.quarantine() != null && s.quarantine().releaseCommand() != null) {
      next.add("Release the quarantine (after fixing the code): `" + s.quarantine().releaseCommand() + "`");
    }
    ArrayNode keywords = content.putArray("keywords");
    keywords.add(String.valueOf(s.status()));
    if (s.functionName() != null) {
      keywords.add(s.functionName());
    }
    if (s.region() != null) {
      keywords.add(s.region());
    }
    ObjectNode metadata = root.putObject("metadata");
    // One thread per function: its scans follow each other in the channel.
    metadata.put("threadId", s.accountId() + "/" + s.region() + "/" + s.functionName());
    metadata.put("summary", s.headline());
    metadata.put("eventType", "LambdaScanCompleted");
    ArrayNode related = metadata.putArray("relatedResources");
    if (s.functionArn() != null) {
      related.add(s.functionArn());
    }
    ObjectNode context = metadata.putObject("additionalContext");
    context.put("scanId", s.scanId());
    context.put("status", String.valueOf(s.status()));
    context.put("highestSeverity", Integer.toString(s.highestSeverity()));
    context.put("newHighestSeverity", Integer.toString(s.newHighestSeverity()));
    if (s.risk() != null) {
      context.put("risk", Integer.toString(s.risk().score()));
      context.put("riskBand", s.risk().band().name());
    }
    return json.toJson(root);
  }

  private static String icon(ScanSummary s) {
    int severity = Math.max(s.newHighestSeverity(), s.status() == RecordStatus.POLICY_DENY ? 5 : 0);
    if (s.status() == RecordStatus.FAILED || s.status() == RecordStatus.TIMED_OUT) {
      return ":warning:";
    }
    return severity >= 4 ? ":rotating_light:" : ":large_yellow_circle:";
  }

  private static String description(ScanSummary s) {
    StringBuilder out = new StringBuilder();
    out.append("*Function* `").append(s.functionName()).append("` in ").append(s.accountId()).append(" / ")
        .append(s.region()).append("\n");
    out.append("*Status* ").append(s.status());
    if (s.quarantine() != null) {
      out.append(", quarantine ").append(s.quarantine().status());
    }
    out.append("\n*All findings* ").append(counts(s.counts()));
    if (s.risk() != null && s.risk().score() > 0) {
      out.append(", risk ").append(s.risk().score()).append(" (")
          .append(s.risk().band().name().toLowerCase(Locale.ROOT)).append(")");
    }
    out.append("\n");
    FindingChanges c = s.changes();
    if (c != null && !c.newFindings().isEmpty()) {
      out.append("*New* ").append(counts(c.newCounts())).append("\n");
      list(out, c.newFindings());
    }
    if (c != null && c.fixedCounts().total() > 0) {
      out.append("*Fixed* ").append(counts(c.fixedCounts())).append("\n");
    }
    if (s.error() != null && s.error().message() != null) {
      out.append("*Error* ").append(plain(s.error().message())).append("\n");
    }
    return out.toString().strip();
  }

  private static void list(StringBuilder out, List<Finding> findings) {
    // Riskiest first (RiskScore): the ones worth a look lead, whatever the scanner's severity says.
    List<Finding> riskiest = findings.stream().sorted(RiskScore.RISKIEST_FIRST).limit(MAX_LISTED).toList();
    for (Finding f : riskiest) {
      out.append("• ").append(NAMES[Math.max(0, Math.min(5, f.severity()))]).append(" risk ").append(RiskScore.of(f))
          .append(" QID ").append(plain(f.qid()));
      if (!f.cves().isEmpty()) {
        out.append(" (").append(plain(String.join(", ", f.cves()))).append(")");
      }
      out.append(": ").append(plain(f.title()));
      if (f.packageName() != null) {
        out.append(", ").append(plain(f.packageName())).append(" ").append(plain(f.installedVersion()));
        if (f.fixedVersion() != null) {
          out.append(" → ").append(plain(f.fixedVersion()));
        }
      }
      out.append("\n");
    }
  }

  private static String counts(SeverityCounts c) {
    return c.total() == 0 ? "none" : Subjects.findings(c, 0);
  }

  /** Report text without mentions, links or formatting: chat markdown must show it, not act on it. */
  static String plain(String text) {
    if (text == null) {
      return "";
    }
    return text.replaceAll("[<>@*_~`|\\[\\]]", " ").replaceAll("\\s+", " ").strip();
  }

  private static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
