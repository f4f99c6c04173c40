package com.qualys.lambdascanner.common.secret;

/**
 * Decodes one candidate span after another for a {@link SecretFinder}, layer by layer, each layer's decodings written
 * into that layer's buffers, which grow to the longest candidate seen and are kept for the next: a candidate costs
 * no allocation unless it holds a secret. One per scan (not thread-safe).
 */
final class Candidates {

  /** The layers, as a label names them; a candidate's layers are packed 3 bits each, the outermost highest. */
  private static final String[] LAYERS = {null, "escaped", "percent", "entities", "base64", "hex", "base32"};

  private static final int ESCAPED = 1;
  private static final int PERCENT = 2;
  private static final int ENTITIES = 3;
  private static final int BASE64 = 4;
  private static final int HEX = 5;
  private static final int BASE32 = 6;

  /** What a decoded byte may be to go on a decoded candidate: printable ASCII and line breaks. */
  private static final boolean[] PRINTABLE = new boolean[256];

  static {
    for (int c = 0x20; c < 0x7f; c++) {
      PRINTABLE[c] = true;
    }
    PRINTABLE['\n'] = true;
    PRINTABLE['\r'] = true;
  }

  private static final int LINE_BREAK = 1;
  private static final int BACKSLASH = 2;
  private static final int PERCENT_SIGN = 4;
  private static final int AMPERSAND = 8;

  /** What each byte tells {@link #marks}. */
  private static final byte[] MARKS = new byte[256];

  static {
    MARKS['\n'] = LINE_BREAK;
    MARKS['\r'] = LINE_BREAK;
    MARKS['\\'] = BACKSLASH;
    MARKS['%'] = PERCENT_SIGN;
    MARKS['&'] = AMPERSAND;
  }

  private final SecretFinder finder;
  private final int window;
  private final byte[][] unwrapped = new byte[SecretFinder.MAX_DEPTH + 1][];
  private final byte[][] decoded = new byte[SecretFinder.MAX_DEPTH][];

  Candidates(SecretFinder finder) {
    this.finder = finder;
    this.window = finder.window();
  }

  /** What {@code b[from, to)} holds ("kind:layers"), or null. */
  String inspect(byte[] b, int from, int to) {
    return inspect(b, from, to, 0, 0);
  }

  /** The text itself, then each decoding of it. */
  private String inspect(byte[] b, int from, int to, int depth, int layers) {
    int marks = marks(b, from, to);
    if ((marks & LINE_BREAK) != 0) {
      byte[] out = unwrapped[depth] = room(unwrapped[depth], to - from);
      to = stripWraps(b, from, to, out);
      b = out;
      from = 0;
      marks = marks(b, from, to);
    }
    String kind = finder.find(b, from, to);
    if (kind != null) {
      return kind + ":" + (layers == 0 ? "plain" : name(layers));
    }
    if (layers != 0 && presigned(b, from, to)) {
      return "presigned-url:" + name(layers);
    }
    if (depth == SecretFinder.MAX_DEPTH) {
      return null;
    }
    String found = null;
    if ((marks & BACKSLASH) != 0) {
      found = decoded(ESCAPED, b, from, to, depth, layers);
    }
    if (found == null && (marks & PERCENT_SIGN) != 0) {
      found = decoded(PERCENT, b, from, to, depth, layers);
    }
    if (found == null && (marks & AMPERSAND) != 0) {
      found = decoded(ENTITIES, b, from, to, depth, layers);
    }
    return found != null ? found : binary(b, from, to, depth, layers);
  }

  /** {@code b[from, to)} decoded one layer of text escapes, inspected when the decoding changed something. */
  private String decoded(int layer, byte[] b, int from, int to, int depth, int layers) {
    byte[] out = decoded[depth] = room(decoded[depth], to - from);
    int n = switch (layer) {
      case ESCAPED -> Decoders.unescapeBackslashes(b, from, to, out);
      case PERCENT -> Decoders.percentDecode(b, from, to, out);
      default -> Decoders.entityDecode(b, from, to, out);
    };
    // A decoding that changed something is shorter: every escape is longer than what it stands for.
    return n == to - from ? null : inspect(out, 0, n, depth + 1, layers << 3 | layer);
  }

  /** Base64 (either alphabet, any alignment), base32 and hex runs of {@code b[from, to)}, decoded. */
  private String binary(byte[] b, int from, int to, int depth, int layers) {
    int i = from;
    while (i < to) {
      if (Decoders.BASE64[b[i] & 0xff] < 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < to && Decoders.BASE64[b[i] & 0xff] >= 0) {
        i++;
      }
      if (i - start < (window * 4 + 2) / 3) {
        continue;
      }
      for (int align = 0; align < 4; align++) {
        String found = runs(Decoders.BASE64, 6, BASE64, b, start + align, i, depth, layers);
        if (found != null) {
          return found;
        }
      }
      // Hex and base32 runs long enough for a window need a base64 run at least as long.
      String found = i - start < Math.min(window * 2, (window * 8 + 4) / 5) ? null : subRuns(b, start, i, depth, layers);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The hex and base32 runs within a base64 run (both alphabets are subsets of base64's). */
  private String subRuns(byte[] b, int from, int to, int depth, int layers) {
    for (int i = from; i < to; ) {
      int start = i;
      while (i < to && Decoders.HEX[b[i] & 0xff] >= 0) {
        i++;
      }
      if (i - start >= window * 2) {
        for (int align = 0; align < 2; align++) {
          String found = runs(Decoders.HEX, 4, HEX, b, start + align, i, depth, layers);
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
      while (i < to && Decoders.BASE32[b[i] & 0xff] >= 0) {
        byte c = b[i];
        lower |= c >= 'a';
        upper |= c >= 'A' && c <= 'Z';
        if (lower && upper) {
          break;
        }
        i++;
      }
      if (i - start >= (window * 8 + 4) / 5) {
        for (int align = 0; align < 8; align++) {
          String found = runs(Decoders.BASE32, 5, BASE32, b, start + align, i, depth, layers);
          if (found != null) {
            return found;
          }
        }
      }
      i = Math.max(i, start + 1);
    }
    return null;
  }

  /**
   * {@code b[from, to)} decoded from a binary-to-text encoding, and each run of its printable bytes that is long
   * enough to hold a secret's window inspected.
   */
  private String runs(byte[] values, int bits, int layer, byte[] b, int from, int to, int depth, int layers) {
    byte[] out = decoded[depth] = room(decoded[depth], to - from);
    int n = Decoders.binary(values, bits, b, from, to, out);
    int i = 0;
    while (i < n) {
      int start = i;
      while (i < n && PRINTABLE[out[i] & 0xff]) {
        i++;
      }
      if (i - start >= window) {
        String found = inspect(out, start, i, depth + 1, layers << 3 | layer);
        if (found != null) {
          return found;
        }
      }
      i = Math.max(i, start + 1);
    }
    return null;
  }

  /** Which of line breaks, backslashes, percent signs and ampersands {@code b[from, to)} holds. */
  private static int marks(byte[] b, int from, int to) {
    int marks = 0;
    for (int i = from; i < to; i++) {
      marks |= MARKS[b[i] & 0xff];
    }
    return marks;
  }

  /** Line breaks and the indentation after them: what a tool puts inside a value it wraps. */
  private static int stripWraps(byte[] b, int from, int to, byte[] out) {
    int n = 0;
    boolean lineStart = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\n' || c == '\r') {
        lineStart = true;
      } else if (!lineStart || (c != ' ' && c != '\t' && c != '>')) {
        lineStart = false;
        out[n++] = c;
      }
    }
    return n;
  }

  /** What a presigned URL's query carries: the signature and what it was made with. */
  private static final byte[][] PRESIGNED = {
      "x-amz-signature=".getBytes(), "x-amz-credential=".getBytes(), "x-amz-security-token=".getBytes()};

  private static boolean presigned(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if ((b[i] | 0x20) == 'x') {
        for (byte[] name : PRESIGNED) {
          if (startsWithIgnoringCase(b, i, to, name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean startsWithIgnoringCase(byte[] b, int at, int to, byte[] lower) {
    if (at + lower.length > to) {
      return false;
    }
    for (int i = 0; i < lower.length; i++) {
      byte c = b[at + i];
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lower[i]) {
        return false;
      }
    }
    return true;
  }

  private static String name(int layers) {
    StringBuilder out = new StringBuilder();
    for (int shift = 27; shift >= 0; shift -= 3) {
      int layer = layers >>> shift & 7;
      if (layer != 0) {
        out.append(out.isEmpty() ? "" : "+").append(LAYERS[layer]);
      }
    }
    return out.toString();
  }

  private static byte[] room(byte[] buffer, int size) {
    return buffer != null && buffer.length >= size ? buffer : new byte[Math.max(size, 1024)];
  }
}
