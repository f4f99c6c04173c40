package com.qualys.lambdascanner.common.secret;

import java.util.Map;

/**
 * Lenient decoders for the {@link SecretFinder}: each decodes what it can and keeps the rest as it is, since a
 * candidate is a guess, not a document. Text is handled one char per byte (ISO-8859-1): secrets are ASCII.
 */
final class Decoders {

  private static final int[] BASE64 = new int[128];

  /** The HTML/XML named entities a serializer writes for the characters secrets and their encodings hold. */
  private static final Map<String, Character> ENTITIES =
      Map.ofEntries(
          Map.entry("amp", '&'), Map.entry("lt", '<'), Map.entry("gt", '>'), Map.entry("quot", '"'),
          Map.entry("apos", '\''), Map.entry("sol", '/'), Map.entry("plus", '+'), Map.entry("equals", '='),
          Map.entry("percnt", '%'), Map.entry("num", '#'), Map.entry("colon", ':'), Map.entry("semi", ';'),
          Map.entry("lowbar", '_'), Map.entry("period", '.'), Map.entry("tilde", '~'), Map.entry("hyphen", '-'),
          Map.entry("dash", '-'), Map.entry("bsol", '\\'), Map.entry("excl", '!'), Map.entry("dollar", '$'),
          Map.entry("ast", '*'), Map.entry("quest", '?'), Map.entry("commat", '@'), Map.entry("nbsp", ' '));

  static {
    java.util.Arrays.fill(BASE64, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = i;
    }
    BASE64['-'] = 62;
    BASE64['_'] = 63;
  }

  private Decoders() {}

  static boolean isBase64(char c) {
    return c < 128 && BASE64[c] >= 0;
  }

  /** Base64 (standard or URL-safe) of {@code text[from, to)}: whole 4-char groups, then a partial one's bytes. */
  static byte[] base64(String text, int from, int to) {
    byte[] out = new byte[Math.max(0, (to - from) * 6 / 8)];
    int bits = 0;
    int count = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      bits = (bits << 6) | BASE64[text.charAt(i)];
      count += 6;
      if (count >= 8) {
        count -= 8;
        out[n++] = (byte) (bits >> count);
      }
    }
    return out;
  }

  /** The value of a base32 character (RFC 4648, either case), or -1. */
  static int base32Value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    return c >= '2' && c <= '7' ? c - '2' + 26 : -1;
  }

  static byte[] base32(String text, int from, int to) {
    byte[] out = new byte[Math.max(0, (to - from) * 5 / 8)];
    int bits = 0;
    int count = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      bits = (bits << 5) | base32Value(text.charAt(i));
      count += 5;
      if (count >= 8) {
        count -= 8;
        out[n++] = (byte) (bits >> count);
      }
    }
    return out;
  }

  static byte[] hex(String text, int from, int to) {
    byte[] out = new byte[Math.max(0, (to - from) / 2)];
    for (int i = 0; i < out.length; i++) {
      int at = from + 2 * i;
      out[i] = (byte) (Character.digit(text.charAt(at), 16) << 4 | Character.digit(text.charAt(at + 1), 16));
    }
    return out;
  }

  /** JSON, C and shell escapes: {@code \\uXXXX}, {@code \xNN}, {@code \/}, {@code \\}, {@code \n} ... */
  static String unescapeBackslashes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char next = s.charAt(i + 1);
      int code;
      if (next == 'u' && (code = hexValue(s, i + 2, 4)) >= 0) {
        out.append((char) code);
        i += 5;
      } else if (next == 'x' && (code = hexValue(s, i + 2, 2)) >= 0) {
        out.append((char) code);
        i += 3;
      } else {
        out.append(switch (next) {
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> next;
        });
        i++;
      }
    }
    return out.toString();
  }

  /** Percent-encoding, one level ({@code %2F} or {@code %2f}); a form's {@code +} stays: secrets hold no space. */
  static String percentDecode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int code;
      if (c == '%' && (code = hexValue(s, i + 1, 2)) >= 0) {
        out.append((char) code);
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** HTML/XML character references: {@code &#47;}, {@code &#x2F;}, {@code &sol;} ... */
  static String entityDecode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int end = c == '&' ? s.indexOf(';', i + 1) : -1;
      if (end < 0 || end - i > 10) {
        out.append(c);
        continue;
      }
      String name = s.substring(i + 1, end);
      Character decoded = ENTITIES.get(name.toLowerCase(java.util.Locale.ROOT));
      if (decoded == null && name.startsWith("#")) {
        try {
          boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
          decoded = (char) Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
        } catch (NumberFormatException e) {
          decoded = null;
        }
      }
      if (decoded == null) {
        out.append(c);
      } else {
        out.append(decoded.charValue());
        i = end;
      }
    }
    return out.toString();
  }

  private static int hexValue(String s, int from, int digits) {
    if (from + digits > s.length()) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < from + digits; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }
}
