package com.qualys.lambdascanner.common.secret;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient decoders for the {@link SecretFinder}: each decodes what it can and keeps the rest as it is, since a
 * candidate is a guess, not a document. They work on bytes (text is one byte a character, ISO-8859-1; a character
 * an escape or an entity names is written as UTF-8) and write into a buffer the caller reuses: the finder decodes
 * every candidate of a 100 MB report, so nothing is allocated per candidate. No decoding is longer than its input,
 * so an output buffer as long as the input always suffices.
 */
final class Decoders {

  /** Base64's value of each byte (either alphabet: {@code +/} and {@code -_}), or -1. */
  static final byte[] BASE64 = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", false);

  /** Base32's (RFC 4648) value of each byte, either case, or -1. */
  static final byte[] BASE32 = table("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", true);

  /** A hex digit's value, either case, or -1. */
  static final byte[] HEX = table("0123456789abcdef", true);

  /** The HTML/XML named entities a serializer writes for the characters secrets and their encodings hold. */
  private static final Map<String, Character> ENTITIES =
      Map.ofEntries(
          Map.entry("amp", '&'), Map.entry("lt", '<'), Map.entry("gt", '>'), Map.entry("quot", '"'),
          Map.entry("apos", '\''), Map.entry("sol", '/'), Map.entry("plus", '+'), Map.entry("equals", '='),
          Map.entry("percnt", '%'), Map.entry("num", '#'), Map.entry("colon", ':'), Map.entry("semi", ';'),
          Map.entry("lowbar", '_'), Map.entry("period", '.'), Map.entry("tilde", '~'), Map.entry("hyphen", '-'),
          Map.entry("dash", '-'), Map.entry("bsol", '\\'), Map.entry("excl", '!'), Map.entry("dollar", '$'),
          Map.entry("ast", '*'), Map.entry("quest", '?'), Map.entry("commat", '@'), Map.entry("nbsp", ' '));

  /** The longest entity decoded, {@code &} to {@code ;}: {@code &#1114111;}. */
  private static final int MAX_ENTITY = 10;

  static {
    BASE64['-'] = 62;
    BASE64['_'] = 63;
  }

  private Decoders() {}

  private static byte[] table(String alphabet, boolean eitherCase) {
    byte[] values = new byte[256];
    Arrays.fill(values, (byte) -1);
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      values[c] = (byte) i;
      if (eitherCase) {
        values[Character.toUpperCase(c)] = (byte) i;
        values[Character.toLowerCase(c)] = (byte) i;
      }
    }
    return values;
  }

  /**
   * Bits per character {@code bits} (6 base64, 5 base32, 4 hex) of {@code in[from, to)} through {@code values}: whole
   * bytes, a trailing partial one dropped. Returns the length written to {@code out}.
   */
  static int binary(byte[] values, int bits, byte[] in, int from, int to, byte[] out) {
    int acc = 0;
    int count = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      acc = (acc << bits) | values[in[i] & 0xff];
      count += bits;
      if (count >= 8) {
        count -= 8;
        out[n++] = (byte) (acc >> count);
      }
    }
    return n;
  }

  /** JSON, C and shell escapes: {@code \\uXXXX}, {@code \xNN}, {@code \/}, {@code \\}, {@code \n} ... */
  static int unescapeBackslashes(byte[] in, int from, int to, byte[] out) {
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = in[i];
      if (c != '\\' || i + 1 >= to) {
        out[n++] = c;
        continue;
      }
      byte next = in[i + 1];
      int code;
      if (next == 'u' && (code = hexValue(in, i + 2, 4, to)) >= 0) {
        n = utf8(code, out, n);
        i += 5;
      } else if (next == 'x' && (code = hexValue(in, i + 2, 2, to)) >= 0) {
        out[n++] = (byte) code;
        i += 3;
      } else {
        out[n++] = switch (next) {
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> next;
        };
        i++;
      }
    }
    return n;
  }

  /** Percent-encoding, one level ({@code %2F} or {@code %2f}); a form's {@code +} stays: secrets hold no space. */
  static int percentDecode(byte[] in, int from, int to, byte[] out) {
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = in[i];
      int code;
      if (c == '%' && (code = hexValue(in, i + 1, 2, to)) >= 0) {
        out[n++] = (byte) code;
        i += 2;
      } else {
        out[n++] = c;
      }
    }
    return n;
  }

  /** HTML/XML character references: {@code &#47;}, {@code &#x2F;}, {@code &sol;} ... */
  static int entityDecode(byte[] in, int from, int to, byte[] out) {
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = in[i];
      int end = -1;
      if (c == '&') {
        for (int j = i + 1; j < to && j - i <= MAX_ENTITY; j++) {
          if (in[j] == ';') {
            end = j;
            break;
          }
        }
      }
      int code = end < 0 ? -1 : entity(in, i + 1, end);
      if (code < 0) {
        out[n++] = c;
      } else {
        n = utf8(code, out, n);
        i = end;
      }
    }
    return n;
  }

  /** The character {@code in[from, to)} names ({@code amp}, {@code #47}, {@code #x2F}), or -1. */
  private static int entity(byte[] in, int from, int to) {
    if (from < to && in[from] == '#') {
      boolean hex = from + 1 < to && (in[from + 1] == 'x' || in[from + 1] == 'X');
      int start = hex ? from + 2 : from + 1;
      int code = 0;
      for (int i = start; i < to; i++) {
        int digit = hex ? HEX[in[i] & 0xff] : in[i] >= '0' && in[i] <= '9' ? in[i] - '0' : -1;
        if (digit < 0) {
          return -1;
        }
        code = code * (hex ? 16 : 10) + digit;
      }
      return start < to && code <= Character.MAX_CODE_POINT ? code : -1;
    }
    Character named =
        ENTITIES.get(new String(in, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
            .toLowerCase(Locale.ROOT));
    return named == null ? -1 : named;
  }

  /** Writes code point {@code code} as UTF-8 at {@code out[n]}; returns the new length. */
  private static int utf8(int code, byte[] out, int n) {
    if (code < 0x80) {
      out[n++] = (byte) code;
    } else if (code < 0x800) {
      out[n++] = (byte) (0xc0 | code >> 6);
      out[n++] = (byte) (0x80 | code & 0x3f);
    } else if (code < 0x10000) {
      out[n++] = (byte) (0xe0 | code >> 12);
      out[n++] = (byte) (0x80 | code >> 6 & 0x3f);
      out[n++] = (byte) (0x80 | code & 0x3f);
    } else {
      out[n++] = (byte) (0xf0 | code >> 18);
      out[n++] = (byte) (0x80 | code >> 12 & 0x3f);
      out[n++] = (byte) (0x80 | code >> 6 & 0x3f);
      out[n++] = (byte) (0x80 | code & 0x3f);
    }
    return n;
  }

  private static int hexValue(byte[] in, int from, int digits, int to) {
    if (from + digits > to) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < from + digits; i++) {
      int d = HEX[in[i] & 0xff];
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }
}
