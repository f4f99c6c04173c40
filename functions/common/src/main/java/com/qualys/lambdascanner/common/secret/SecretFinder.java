package com.qualys.lambdascanner.common.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * <p>Text is handled as bytes, one a character (ISO-8859-1: a file's own bytes, whatever its encoding), and secrets
 * as their UTF-8 bytes; the decodings go into buffers reused from one candidate to the next ({@link Candidates}), so
 * a 100 MB report is looked through without an allocation per candidate (docs/qscanner-integration.md, Benchmark).
 *
 * <p>Out of reach, by construction: a secret cut into pieces shorter than the window (split across fields, or
 * interleaved with other text), encrypted or compressed, or in an encoding not listed here (e.g. EBCDIC, UTF-16).
 */
public final class SecretFinder {

  /** How many consecutive characters of a secret count as the secret: less says too little to matter. */
  static final int WINDOW = 16;

  /** Values shorter than this (in UTF-8 bytes) are not looked for: "a" would match everywhere. */
  public static final int MIN_SECRET_LENGTH = 8;

  /** How many encodings deep a candidate is decoded (e.g. JSON-escaped percent-encoded base64 is 3). */
  static final int MAX_DEPTH = 4;

  /** Receives each span that holds a secret: {@code text[start, end)} and what it held, "kind:layers". */
  @FunctionalInterface
  public interface Found {
    void span(int start, int end, String label);
  }

  /** The characters encodings of a secret are made of: letters, digits and the escapes' and alphabets' signs. */
  private static final boolean[] SPAN = new boolean[256];

  static {
    for (int c = 0; c < 128; c++) {
      SPAN[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "%&#;\\+/=_.~:-@!$*?".indexOf(c) >= 0;
    }
  }

  private final Shingles shingles;
  private final int window;

  private SecretFinder(Shingles shingles) {
    this.shingles = shingles;
    this.window = shingles.window;
  }

  /** A finder for these secrets (values shorter than {@link #MIN_SECRET_LENGTH} are left out), and presigned URLs. */
  public static SecretFinder of(Collection<Secret> secrets) {
    List<Secret> looked = new ArrayList<>();
    int window = WINDOW;
    for (Secret s : secrets) {
      if (s.value() != null && s.value().getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_LENGTH) {
        looked.add(s);
        window = Math.min(window, s.value().getBytes(StandardCharsets.UTF_8).length);
      }
    }
    return new SecretFinder(new Shingles(window, looked));
  }

  /** {@code text} with every span that holds a secret, in any form, replaced; the same instance when none does. */
  public String scrub(String text) {
    // One byte a character; one beyond ISO-8859-1 becomes a byte no span holds, as the character itself is none.
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      char c = text.charAt(i);
      bytes[i] = c <= 0xff ? (byte) c : (byte) 0xff;
    }
    StringBuilder out = new StringBuilder();
    int[] copied = {0};
    scan(bytes, 0, bytes.length, (start, end, label) -> {
      out.append(text, copied[0], start).append("[REDACTED:").append(label).append(']');
      copied[0] = end;
    });
    return out.isEmpty() ? text : out.append(text, copied[0], text.length()).toString();
  }

  /**
   * Hands {@code found} every span of {@code text[from, to)} that holds a secret, in any form, in order. Most of a
   * report is words, numbers and names shorter than the window, so before a span is followed byte by byte, the
   * window's last byte is looked at first, and then back from it (as Horspool's search does): a byte that no span
   * can hold ({@link #isStop}) means that no span starting before it is long enough, and the scan goes on after it.
   */
  public void scan(byte[] text, int from, int to, Found found) {
    Candidates candidates = new Candidates(this);
    int i = from;
    while (i + window <= to) {
      int stop = i + window - 1;
      while (stop >= i && !isStop(text, from, stop)) {
        stop--;
      }
      if (stop >= i) {
        i = stop + 1;
        continue;
      }
      while (i < to && !SPAN[text[i] & 0xff]) {
        i++;
      }
      if (i == to) {
        return;
      }
      int start = i;
      i = spanEnd(text, i, to);
      if (i - start >= window) {
        String label = candidates.inspect(text, start, i);
        if (label != null) {
          found.span(start, i, label);
        }
      }
    }
  }

  /**
   * Whether no span (see {@link #spanEnd}) can hold {@code text[at]}: it is none of the span characters, not escaped
   * (conservatively: after any backslash), no line break, and no indentation after one. Indentation is looked back
   * over at most a window's length, beyond which it counts as held.
   */
  private boolean isStop(byte[] text, int from, int at) {
    byte c = text[at];
    if (SPAN[c & 0xff] || c == '\n' || c == '\r' || (at > from && text[at - 1] == '\\')) {
      return false;
    }
    if (c != ' ' && c != '\t' && c != '>') {
      return true;
    }
    int k = at - 1;
    while (k >= from && at - k <= window && (text[k] == ' ' || text[k] == '\t' || text[k] == '>')) {
      k--;
    }
    if (k < from) {
      return true;
    }
    return !(at - k > window || text[k] == '\n' || text[k] == '\r'
        || (text[k] == 'n' && k > from && text[k - 1] == '\\'));
  }

  /** Where the candidate span that starts at {@code i} ends: escapes stay whole, a line wrap does not end it. */
  private static int spanEnd(byte[] text, int i, int n) {
    while (i < n) {
      byte c = text[i];
      if (c == '\\' && i + 1 < n) {
        byte escaped = text[i + 1];
        i += 2; // an escape and what it escapes stay together: cutting between them would break a JSON string
        if (escaped == 'n') {
          int j = i;
          while (j < n && (text[j] == ' ' || text[j] == '\t')) {
            j++;
          }
          if (j < n && SPAN[text[j] & 0xff]) {
            i = j; // a JSON-escaped line wrap and its indentation: the value goes on
          }
        }
      } else if (SPAN[c & 0xff]) {
        i++;
      } else if (c == '\n' || (c == '\r' && i + 1 < n && text[i + 1] == '\n')) {
        int j = c == '\r' ? i + 2 : i + 1;
        while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '>')) {
          j++;
        }
        if (j < n && SPAN[text[j] & 0xff]) {
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

  /** The kind of the first secret window in {@code b[from, to)}, or null. */
  String find(byte[] b, int from, int to) {
    return shingles.find(b, from, to);
  }

  int window() {
    return window;
  }
}
