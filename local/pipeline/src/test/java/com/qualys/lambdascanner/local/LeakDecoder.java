package com.qualys.lambdascanner.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leak tests' own decoder, independent of the functions' SecretFinder: it decodes a whole text at once with
 * regular expressions and the JDK's decoders (the finder cuts spans and decodes by hand), several layers deep, and
 * reports every secret of which 16 consecutive characters show in the text or in any decoding of it.
 */
final class LeakDecoder {

  private static final int WINDOW = 16;
  private static final int DEPTH = 4;
  private static final Pattern PERCENT = Pattern.compile("%([0-9A-Fa-f]{2})");
  private static final Pattern ENTITY = Pattern.compile("&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));");
  private static final Pattern NAMED = Pattern.compile("&(amp|lt|gt|quot|apos|sol|plus|equals);");
  private static final Map<String, String> NAMES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
      "apos", "'", "sol", "/", "plus", "+", "equals", "=");
  private static final Pattern UNICODE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");
  private static final Pattern HEX_ESCAPE = Pattern.compile("\\\\x([0-9A-Fa-f]{2})");
  private static final Pattern ESCAPE = Pattern.compile("\\\\([/\"\\\\])");
  private static final Pattern WRAPS = Pattern.compile("(?:\\\\r)?\\\\n|\\r?\\n[ \\t]*");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{20,}");
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{32,}");
  private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]{26,}|[a-z2-7]{26,}");

  private final Map<String, String> secrets;

  /** @param secrets what each secret is, by its value */
  LeakDecoder(Map<String, String> secrets) {
    this.secrets = secrets;
  }

  /** The secrets (their names) found in {@code text}, in any decoding. */
  Set<String> find(String text) {
    Set<String> found = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    List<String> views = List.of(text);
    for (int depth = 0; depth <= DEPTH && !views.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String view : views) {
        if (!seen.add(view)) {
          continue;
        }
        secrets.forEach((value, name) -> {
          if (holds(view, value)) {
            found.add(name);
          }
        });
        next.addAll(decodings(view));
      }
      views = next;
    }
    return found;
  }

  private static boolean holds(String text, String secret) {
    int window = Math.min(WINDOW, secret.length());
    for (int i = 0; i + window <= secret.length(); i++) {
      if (text.contains(secret.substring(i, i + window))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> decodings(String text) {
    List<String> out = new ArrayList<>();
    String joined = WRAPS.matcher(text).replaceAll("");
    for (String decoded : List.of(
        replace(PERCENT, joined, m -> String.valueOf((char) Integer.parseInt(m.group(1), 16))),
        replace(ENTITY, joined, m -> String.valueOf((char) (m.group(1) != null
            ? Integer.parseInt(m.group(1), 16) : Integer.parseInt(m.group(2))))),
        replace(NAMED, joined, m -> NAMES.get(m.group(1))),
        replace(ESCAPE, replace(HEX_ESCAPE, replace(UNICODE, joined,
            m -> String.valueOf((char) Integer.parseInt(m.group(1), 16))),
            m -> String.valueOf((char) Integer.parseInt(m.group(1), 16))), m -> m.group(1)))) {
      if (!decoded.equals(joined)) {
        out.add(decoded);
      }
    }
    if (!joined.equals(text)) {
      out.add(joined);
    }
    StringBuilder binary = new StringBuilder();
    for (Matcher m = BASE64.matcher(joined); m.find(); ) {
      String run = m.group().replace('-', '+').replace('_', '/');
      for (int offset = 0; offset < 4 && run.length() - offset >= 4; offset++) {
        String aligned = run.substring(offset, offset + (run.length() - offset) / 4 * 4);
        binary.append(new String(Base64.getDecoder().decode(aligned), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    for (Matcher m = HEX.matcher(joined); m.find(); ) {
      for (int offset = 0; offset < 2; offset++) {
        String run = m.group().substring(offset);
        binary.append(new String(HexFormat.of().parseHex(run.substring(0, run.length() / 2 * 2)),
            StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    for (Matcher m = BASE32.matcher(joined); m.find(); ) {
      for (int offset = 0; offset < 8; offset++) {
        binary.append(base32(m.group().substring(offset))).append('\n');
      }
    }
    if (!binary.isEmpty()) {
      out.add(binary.toString());
    }
    return out;
  }

  private static String base32(String run) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    long bits = 0;
    int count = 0;
    for (char c : run.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
      bits = (bits << 5) | alphabet.indexOf(c);
      count += 5;
      if (count >= 8) {
        count -= 8;
        out.append((char) ((bits >> count) & 0xff));
      }
    }
    return out.toString();
  }

  private static String replace(Pattern pattern, String text, Function<MatchResult, String> with) {
    return pattern.matcher(text).replaceAll(m -> Matcher.quoteReplacement(with.apply(m)));
  }
}
