package com.qualys.lambdascanner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.model.Finding;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The accepted risks: a JSON document in the results bucket (docs/suppressions.md), each entry a finding id (QID
 * or CVE), a function name pattern, a reason, an owner and an expiry. Entries are validated one by one: a bad
 * entry is refused with a message that ends up in the record ({@code suppressions.errors}), the others still
 * apply; an unreadable document suppresses nothing and is one error. Expired entries no longer apply, so their
 * findings come back (as new, when the previous scan had them suppressed).
 */
final class SuppressionList {

  static final int MAX_ENTRIES = 1000;
  static final int MAX_BYTES = 1 << 20;
  private static final int MAX_TEXT = 500;

  private static final Pattern QID = Pattern.compile("\\d{1,10}");
  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,9}");
  /** Glob characters only: a pattern is never a regular expression an entry could make pathological. */
  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_*?-]{1,64}");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final SuppressionList EMPTY = new SuppressionList(List.of(), List.of());

  /** One valid entry. */
  record Entry(String id, Pattern functions, String reason, String owner, Instant expires) {

    boolean matches(Finding finding, String functionName, Instant now) {
      if (!now.isBefore(expires) || functionName == null || !functions.matcher(functionName).matches()) {
        return false;
      }
      return id.equals(finding.qid()) || finding.cves().contains(id);
    }
  }

  private final List<Entry> entries;
  private final List<String> errors;
  private final String versionId;

  private SuppressionList(List<Entry> entries, List<String> errors) {
    this(entries, errors, null);
  }

  private SuppressionList(List<Entry> entries, List<String> errors, String versionId) {
    this.entries = List.copyOf(entries);
    this.errors = List.copyOf(errors);
    this.versionId = versionId;
  }

  /** This list, read at this S3 version (the record says which version was applied). */
  SuppressionList withVersion(String version) {
    return new SuppressionList(entries, errors, version);
  }

  String versionId() {
    return versionId;
  }

  List<String> errors() {
    return errors;
  }

  List<Entry> entries() {
    return entries;
  }

  /** Whether an entry in force suppresses this finding of this function. */
  boolean suppresses(Finding finding, String functionName, Instant now) {
    for (Entry entry : entries) {
      if (entry.matches(finding, functionName, now)) {
        return true;
      }
    }
    return false;
  }

  static SuppressionList parse(byte[] document) {
    if (document.length > MAX_BYTES) {
      return new SuppressionList(List.of(), List.of("the list is over " + MAX_BYTES + " bytes; nothing suppressed"));
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(document);
    } catch (IOException e) {
      return new SuppressionList(List.of(), List.of("the list is not JSON; nothing suppressed"));
    }
    JsonNode list = root == null ? null : root.get("suppressions");
    if (list == null || !list.isArray()) {
      return new SuppressionList(List.of(), List.of("the list has no \"suppressions\" array; nothing suppressed"));
    }
    List<Entry> entries = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (i >= MAX_ENTRIES) {
        errors.add("entries after the first " + MAX_ENTRIES + " are ignored");
        break;
      }
      String problem = null;
      JsonNode node = list.get(i);
      String id = text(node, "id");
      String functions = text(node, "functions");
      String reason = text(node, "reason");
      String owner = text(node, "owner");
      Instant expires = instant(text(node, "expires"));
      if (id == null || !(QID.matcher(id).matches() || CVE.matcher(id).matches())) {
        problem = "id must be a QID (digits) or a CVE id (CVE-yyyy-nnnn)";
      } else if (functions == null || !GLOB.matcher(functions).matches()) {
        problem = "functions must be a function name pattern (letters, digits, '-', '_', '*', '?')";
      } else if (reason == null || reason.isBlank() || reason.length() > MAX_TEXT) {
        problem = "reason is required (at most " + MAX_TEXT + " characters)";
      } else if (owner == null || owner.isBlank() || owner.length() > MAX_TEXT) {
        problem = "owner is required (at most " + MAX_TEXT + " characters)";
      } else if (expires == null) {
        problem = "expires is required: an ISO-8601 date or instant (2026-12-31 or 2026-12-31T00:00:00Z)";
      }
      if (problem != null) {
        errors.add("suppressions[" + i + "]: " + problem);
      } else {
        entries.add(new Entry(id, glob(functions), reason, owner, expires));
      }
    }
    return new SuppressionList(entries, errors);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null || !node.isObject() ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** An instant, or a date meaning the start of that day in UTC (the entry no longer applies on it). */
  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString());
  }
}
