package com.qualys.lambdascanner.local;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The forms a secret value takes once a tool has written it out: as is, JSON-escaped ({@code \/}, {@code \\u002f}),
 * URL-encoded (upper or lower hex, once or twice), and base64 (standard or URL-safe, wherever it sits in the encoded
 * bytes: {@code Authorization: Basic}, a docker {@code "auth"} value, ECR's {@code AWS:<password>} token): what
 * {@link Leaks} looks for in every artifact of a pipeline's run, a quick check by forms listed in advance (the
 * functions find secrets by decoding candidates, and {@link LeakDecoder} checks them by decoding whole texts).
 */
final class SecretVariants {

  /** A form shorter than this is not masked: it would match ordinary text, and it reveals too little to matter. */
  static final int MIN_FORM_LENGTH = 8;

  private SecretVariants() {}

  /** Every form of {@code secret}, longest first; the value itself is the first of equal length. */
  static List<String> of(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    forms.add(jsonEscaped(secret, false));
    forms.add(jsonEscaped(secret, true));
    forms.add(unicodeEscapedLower(secret));
    // RFC 3986 (SDKs, curl) and HTML form encoding (java.net.URLEncoder: also ~ and *, + for a space), each in upper
    // and lower hex, and twice (a URL inside a URL's query).
    for (String url : List.of(urlEncoded(secret, true), URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
      forms.add(url);
      forms.add(lowerHex(url));
      forms.add(urlEncoded(url, true));
      forms.add(url.replace("%20", "+"));
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (int offset = 0; offset < 3; offset++) {
      String standard = base64Core(bytes, offset);
      forms.add(standard);
      forms.add(standard.replace('+', '-').replace('/', '_'));
    }
    return forms.stream()
        .filter(f -> f.length() >= MIN_FORM_LENGTH)
        .sorted((a, b) -> b.length() - a.length())
        .toList();
  }

  /** JSON string escaping: {@code "} and {@code \} always; {@code /} as {@code \/}, or every non-alphanumeric as {@code \\u00XX}. */
  static String jsonEscaped(String secret, boolean unicode) {
    StringBuilder out = new StringBuilder();
    for (char c : secret.toCharArray()) {
      if (unicode && !Character.isLetterOrDigit(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else if (c == '"' || c == '\\' || c == '/') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String unicodeEscapedLower(String secret) {
    StringBuilder out = new StringBuilder();
    for (char c : secret.toCharArray()) {
      out.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c));
    }
    return out.toString();
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters. */
  static String urlEncoded(String secret, boolean upperHex) {
    StringBuilder out = new StringBuilder();
    for (byte b : secret.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append(String.format(Locale.ROOT, upperHex ? "%%%02X" : "%%%02x", c));
      }
    }
    return out.toString();
  }

  private static String lowerHex(String percentEncoded) {
    StringBuilder out = new StringBuilder(percentEncoded);
    for (int i = percentEncoded.indexOf('%'); i >= 0 && i + 2 < out.length(); i = percentEncoded.indexOf('%', i + 1)) {
      out.replace(i + 1, i + 3, percentEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /**
   * The base64 characters that depend on the secret's bytes alone when it starts {@code offset} bytes into a 3-byte
   * group: whatever stands before or after it in the encoded text, these characters are there.
   */
  static String base64Core(byte[] secret, int offset) {
    byte[] shifted = new byte[offset + secret.length];
    System.arraycopy(secret, 0, shifted, offset, secret.length);
    String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
    // Leading: the characters that also carry bits of the bytes before (1 byte before: 2 chars, 2 bytes: 3 chars).
    int skip = offset == 0 ? 0 : offset + 1;
    // Trailing: the last group is partial unless the secret ends on a group boundary; its last char mixes in the
    // bytes after.
    int end = (offset + secret.length) % 3 == 0 ? encoded.length() : encoded.length() - 1;
    return end <= skip ? "" : encoded.substring(skip, end);
  }
}
