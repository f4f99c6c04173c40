package com.qualys.lambdascanner.common.secret;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Finds given secret values in text in whatever form a tool wrote them, by decoding candidates as secret scanners do
 * rather than by listing forms: the text is cut into candidate spans (runs of the characters encodings use, joined
 * across line wraps, real or JSON-escaped), and each span is decoded layer by layer (JSON and {@code \x} escapes,
 * percent-encoding, HTML/XML entities, base64 and base64url at any alignment, base32, hex), up to {@link #MAX_DEPTH}
 * layers deep. A span whose text, or any decoding of it, holds {@link #WINDOW} consecutive characters of a secret (the
 * whole secret when it is shorter) is replaced by {@code [REDACTED:<kind>:<layers>]}: what was removed and how it was
 * written, never the value. A span whose decoding (not its text: that is the Redactor's patterns' part) is a presigned
 * URL's signature, credential or session token is replaced the same way ({@code [REDACTED:presigned-url:percent]}):
 * those values nobody gives the finder.
 *
 * <p>Out of reach, by construction: a secret cut into pieces shorter than the window (split across fields, or
 * interleaved with other text), encrypted or compressed, or in an encoding not listed here (e.g. EBCDIC, UTF-16).
 */
public final class SecretFinder {

  /** How many consecutive characters of a secret count as the secret: less says too little to matter. */
  static final int WINDOW = 16;

  /** Values shorter than this are not looked for: "a" would match everywhere. */
  public static final int MIN_SECRET_LENGTH = 8;

  /** How many encodings deep a candidate is decoded (e.g. JSON-escaped percent-encoded base64 is 3). */
  static final int MAX_DEPTH = 4;

  private static final long BASE = 1_000_003L;

  private final int window;
  private final long power;
  private final long[] hashes;
  private final String[] shingles;
  private final String[] kinds;
  private final int slots;
  private final boolean empty;

  private SecretFinder(int window, List<String[]> shingleKinds) {
    this.window = window;
    long p = 1;
    for (int i = 1; i < window; i++) {
      p *= BASE;
    }
    this.power = p;
    int size = Integer.highestOneBit(Math.max(16, shingleKinds.size() * 4) - 1) << 1;
    this.slots = size - 1;
    this.empty = shingleKinds.isEmpty();
    this.hashes = new long[size];
    this.shingles = new String[size];
    this.kinds = new String[size];
    for (String[] sk : shingleKinds) {
      long h = hash(sk[0], 0, window);
      int slot = (int) (mix(h) & slots);
      while (shingles[slot] != null && !shingles[slot].equals(sk[0])) {
        slot = (slot + 1) & slots;
      }
      hashes[slot] = h;
      shingles[slot] = sk[0];
      kinds[slot] = sk[1];
    }
  }

  /** What a presigned URL's query carries, lower case: the signature and what it was made with. */
  private static final List<String> PRESIGNED =
      List.of("x-amz-signature=", "x-amz-credential=", "x-amz-security-token=");

  /** A finder for these secrets (values shorter than {@link #MIN_SECRET_LENGTH} are left out), and presigned URLs. */
  public static SecretFinder of(Collection<Secret> secrets) {
    int window = WINDOW;
    for (Secret s : secrets) {
      if (s.value() != null && s.value().length() >= MIN_SECRET_LENGTH) {
        window = Math.min(window, s.value().length());
      }
    }
    List<String[]> shingleKinds = new java.util.ArrayList<>();
    for (Secret s : secrets) {
      String v = s.value();
      if (v != null && v.length() >= MIN_SECRET_LENGTH) {
        for (int i = 0; i + window <= v.length(); i++) {
          shingleKinds.add(new String[] {v.substring(i, i + window), s.kind()});
        }
      }
    }
    return new SecretFinder(window, shingleKinds);
  }

  /** {@code text} with every span that holds a secret, in any form, replaced; the same instance when none does. */
  public String scrub(String text) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isSpanChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      i = spanEnd(text, i);
      if (i - start >= window) {
        String found = inspect(text.substring(start, i), 0, null);
        if (found != null) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          out.append(text, copied, start).append("[REDACTED:").append(found).append(']');
          copied = i;
        }
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  /** Where the candidate span that starts at {@code i} ends: escapes stay whole, a line wrap does not end it. */
  private static int spanEnd(String text, int i) {
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char escaped = text.charAt(i + 1);
        i += 2; // an escape and what it escapes stay together: cutting between them would break a JSON string
        if (escaped == 'n') {
          int j = i;
          while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j++;
          }
          if (j < n && isSpanChar(text.charAt(j))) {
            i = j; // a JSON-escaped line wrap and its indentation: the value goes on
          }
        }
      } else if (isSpanChar(c)) {
        i++;
      } else if (c == '\n' || (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n')) {
        int j = c == '\r' ? i + 2 : i + 1;
        while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '>')) {
          j++;
        }
        if (j < n && isSpanChar(text.charAt(j))) {
          i = j; // a wrapped line: the value goes on
        } else {
          return i;
        }
      } else {
        return i;
      }
    }
    return i;
  }

  /** What {@code s} holds ("kind:layers"), or null: the text itself, then each decoding of it. */
  private String inspect(String s, int depth, String layers) {
    String text = stripWraps(s);
    String kind = find(text);
    if (kind != null) {
      return kind + ":" + (layers == null ? "plain" : layers);
    }
    if (layers != null && presigned(text)) {
      return "presigned-url:" + layers;
    }
    if (depth == MAX_DEPTH) {
      return null;
    }
    String found = null;
    if (text.indexOf('\\') >= 0) {
      found = decoded(text, Decoders.unescapeBackslashes(text), depth, layers, "escaped");
    }
    if (found == null && text.indexOf('%') >= 0) {
      found = decoded(text, Decoders.percentDecode(text), depth, layers, "percent");
    }
    if (found == null && text.indexOf('&') >= 0) {
      found = decoded(text, Decoders.entityDecode(text), depth, layers, "entities");
    }
    return found != null ? found : binary(text, depth, layers);
  }

  private String decoded(String before, String after, int depth, String layers, String layer) {
    return after.equals(before) ? null : inspect(after, depth + 1, join(layers, layer));
  }

  /** Base64 (either alphabet, any alignment), base32 and hex runs of {@code text}, decoded. */
  private String binary(String text, int depth, String layers) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!Decoders.isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && Decoders.isBase64(text.charAt(i))) {
        i++;
      }
      if (i - start < (window * 4 + 2) / 3) {
        continue;
      }
      for (int align = 0; align < 4; align++) {
        String found = printable(Decoders.base64(text, start + align, i), depth, layers, "base64");
        if (found != null) {
          return found;
        }
      }
      String found = subRuns(text, start, i, depth, layers);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The hex and base32 runs within a base64 run (both alphabets are subsets of base64's). */
  private String subRuns(String text, int from, int to, int depth, String layers) {
    for (int i = from; i < to; ) {
      int start = i;
      while (i < to && Character.digit(text.charAt(i), 16) >= 0) {
        i++;
      }
      if (i - start >= window * 2) {
        for (int align = 0; align < 2; align++) {
          String found = printable(Decoders.hex(text, start + align, i), depth, layers, "hex");
          if (found != null) {
            return found;
          }
        }
      }
      i = Math.max(i, start + 1);
    }
    for (int i = from; i < to; ) {
      int start = i;
      // One case throughout: base32 is written upper or lower case, not mixed like words are.
      boolean lower = false;
      boolean upper = false;
      while (i < to && Decoders.base32Value(text.charAt(i)) >= 0) {
        char c = text.charAt(i);
        lower |= c >= 'a';
        upper |= c >= 'A' && c <= 'Z';
        if (lower && upper) {
          break;
        }
        i++;
      }
      if (i - start >= (window * 8 + 4) / 5) {
        for (int align = 0; align < 8; align++) {
          String found = printable(Decoders.base32(text, start + align, i), depth, layers, "base32");
          if (found != null) {
            return found;
          }
        }
      }
      i = Math.max(i, start + 1);
    }
    return null;
  }

  /** The printable ASCII runs of decoded bytes that are long enough to hold a secret's window, each inspected. */
  private String printable(byte[] bytes, int depth, String layers, String layer) {
    int n = bytes.length;
    int i = 0;
    while (i < n) {
      int start = i;
      while (i < n && bytes[i] >= 0x20 && bytes[i] < 0x7f || i < n && (bytes[i] == '\n' || bytes[i] == '\r')) {
        i++;
      }
      if (i - start >= window) {
        String found = inspect(new String(bytes, start, i - start, StandardCharsets.ISO_8859_1), depth + 1,
            join(layers, layer));
        if (found != null) {
          return found;
        }
      }
      i = Math.max(i, start + 1);
    }
    return null;
  }

  private static boolean presigned(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    return PRESIGNED.stream().anyMatch(lower::contains);
  }

  /** The kind of the first secret window found in {@code text}, or null. */
  String find(String text) {
    int n = text.length();
    if (n < window || empty) {
      return null;
    }
    long h = hash(text, 0, window);
    for (int i = 0; ; i++) {
      String kind = lookup(h, text, i);
      if (kind != null) {
        return kind;
      }
      if (i + window >= n) {
        return null;
      }
      h = (h - text.charAt(i) * power) * BASE + text.charAt(i + window);
    }
  }

  private String lookup(long h, String text, int at) {
    int slot = (int) (mix(h) & slots);
    while (shingles[slot] != null) {
      if (hashes[slot] == h && text.regionMatches(at, shingles[slot], 0, window)) {
        return kinds[slot];
      }
      slot = (slot + 1) & slots;
    }
    return null;
  }

  private static long hash(String s, int from, int length) {
    long h = 0;
    for (int i = from; i < from + length; i++) {
      h = h * BASE + s.charAt(i);
    }
    return h;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /** Line breaks and the indentation after them: what a tool puts inside a value it wraps. */
  private static String stripWraps(String s) {
    if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    boolean lineStart = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        lineStart = true;
      } else if (lineStart && (c == ' ' || c == '\t' || c == '>')) {
        continue;
      } else {
        lineStart = false;
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String join(String layers, String layer) {
    return layers == null ? layer : layers + "+" + layer;
  }

  /** The characters encodings of a secret are made of: letters, digits and the escapes' and alphabets' signs. */
  static boolean isSpanChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "%&#;\\+/=_.~:-@!$*?".indexOf(c) >= 0;
  }
}
