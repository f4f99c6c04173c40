package com.qualys.lambdascanner.resolve.exposure;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy document as IAM or Lambda returns it, read defensively: every policy here is written by whoever controls
 * the function's account, and may be crafted to mislead. IAM returns documents URL-encoded (RFC 3986); Lambda's
 * {@code GetPolicy} returns plain JSON. A document is decoded at most once (a twice-encoded one is malformed, not
 * decoded again), bounded in size, nesting and statement count, and anything not shaped as IAM's grammar says makes
 * the whole document {@link Unreadable}: the fact it feeds becomes unknown, never "not exposed".
 */
public final class PolicyDocument {

  /** Above IAM's largest (a role's inline policies, 10,240 characters) and Lambda's (20 KB), with room. */
  public static final int MAX_CHARS = 65_536;

  /** A real policy has a handful; a crafted one with thousands is refused rather than walked. */
  public static final int MAX_STATEMENTS = 500;

  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_CHARS).build())
      .build()).build();

  private final List<JsonNode> statements;

  private PolicyDocument(List<JsonNode> statements) {
    this.statements = statements;
  }

  /** The statements, each an object. */
  public List<JsonNode> statements() {
    return statements;
  }

  /** A document that cannot be trusted to say what it allows. */
  public static final class Unreadable extends Exception {
    public Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * @param text the document, plain JSON or URL-encoded once
   * @throws Unreadable when empty, too large, not JSON, or not shaped as a policy
   */
  public static PolicyDocument parse(String text) throws Unreadable {
    if (text == null || text.isBlank()) {
      throw new Unreadable("empty policy document");
    }
    if (text.length() > MAX_CHARS) {
      throw new Unreadable("policy document of " + text.length() + " characters, over " + MAX_CHARS);
    }
    String json = text.strip();
    if (!json.startsWith("{")) {
      try {
        json = URLDecoder.decode(json, StandardCharsets.UTF_8).strip();
      } catch (IllegalArgumentException e) {
        throw new Unreadable("policy document is neither JSON nor URL-encoded JSON");
      }
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new Unreadable("policy document is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Unreadable("policy document is not a JSON object");
    }
    JsonNode statement = field(root, "Statement");
    List<JsonNode> list = new ArrayList<>();
    if (statement == null) {
      throw new Unreadable("policy document has no Statement");
    } else if (statement.isObject()) {
      list.add(statement);
    } else if (statement.isArray()) {
      if (statement.size() > MAX_STATEMENTS) {
        throw new Unreadable("policy document has " + statement.size() + " statements, over " + MAX_STATEMENTS);
      }
      for (JsonNode s : statement) {
        if (!s.isObject()) {
          throw new Unreadable("a Statement entry is not an object");
        }
        list.add(s);
      }
    } else {
      throw new Unreadable("Statement is neither an object nor a list");
    }
    return new PolicyDocument(List.copyOf(list));
  }

  /**
   * A field by name, ignoring case: IAM's element names are case-sensitive, but a crafted {@code "effect"} or
   * {@code "principal"} must not hide a grant from this reading (it errs toward seeing the grant).
   */
  static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (var entry : object.properties()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** An {@code Allow} statement (IAM's default is deny; anything but Allow grants nothing). */
  static boolean allows(JsonNode statement) {
    JsonNode effect = field(statement, "Effect");
    return effect != null && effect.isTextual() && effect.asText().strip().equalsIgnoreCase("allow");
  }

  /**
   * A string-or-list element as strings.
   *
   * @throws Unreadable when an entry is not a string
   */
  static List<String> strings(JsonNode node, String element) throws Unreadable {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      List<String> values = new ArrayList<>();
      for (JsonNode v : node) {
        if (!v.isTextual()) {
          throw new Unreadable(element + " has an entry that is not a string");
        }
        values.add(v.asText());
      }
      return values;
    }
    throw new Unreadable(element + " is neither a string nor a list of strings");
  }

  /** IAM's wildcard match: {@code *} any run, {@code ?} any one character; case-insensitive when asked. */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    int pi = 0;
    int vi = 0;
    int star = -1;
    int mark = 0;
    while (vi < v.length()) {
      if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
        pi++;
        vi++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = vi;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /** A statement's Sid for evidence, or its position. */
  static String sid(JsonNode statement, int index) {
    JsonNode sid = field(statement, "Sid");
    return sid != null && sid.isTextual() && !sid.asText().isBlank()
        ? "Sid " + sid.asText() : "statement " + (index + 1);
  }
}
