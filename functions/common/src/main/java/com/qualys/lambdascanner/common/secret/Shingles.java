package com.qualys.lambdascanner.common.secret;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every {@code window} consecutive bytes of the secrets (their shingles), and how to find one in text without
 * looking at every position: any window of text that is a shingle holds, at a position a multiple of {@code step}
 * from where the text starts, a {@code gram} of a secret ({@code gram + step - 1 == window}), so only those
 * positions are looked up, and only a hit there is checked against the whole windows around it. With the 16-byte
 * window that is one 8-byte lookup every 9 bytes instead of a hash at each byte, and never a window missed.
 */
final class Shingles {

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final int window;
  private final int gram;
  private final int step;
  private final boolean empty;

  /** The secrets' grams, as packed bytes, open addressing. */
  private final long[] grams;
  private final boolean[] gramUsed;

  /** The secrets' whole windows (at most 16 bytes: two packed longs) and whose they are, open addressing. */
  private final long[] lows;
  private final long[] highs;
  private final String[] kinds;

  /**
   * @param window how many bytes of a secret count as the secret, 8 to 16
   * @param secrets the values looked for, none shorter than {@code window}
   */
  Shingles(int window, List<Secret> secrets) {
    this.window = window;
    this.gram = (window + 1) / 2;
    this.step = window - gram + 1;
    int total = 0;
    for (Secret s : secrets) {
      total += s.value().length() * 3 + 1;
    }
    this.empty = secrets.isEmpty();
    int size = Integer.highestOneBit(Math.max(16, total * 2)) << 1;
    grams = new long[size];
    gramUsed = new boolean[size];
    lows = new long[size];
    highs = new long[size];
    kinds = new String[size];
    for (Secret s : secrets) {
      byte[] v = s.value().getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i + gram <= v.length; i++) {
        addGram(pack(v, i, gram));
      }
      for (int i = 0; i + window <= v.length; i++) {
        addWindow(v, i, s.kind());
      }
    }
  }

  /** The kind of the first secret window in {@code b[from, to)}, or null. */
  String find(byte[] b, int from, int to) {
    if (empty || to - from < window) {
      return null;
    }
    for (int p = from; p + gram <= to; p += step) {
      if (hasGram(pack(b, p, gram))) {
        // The windows that hold this gram: they start at most window - gram before it.
        for (int s = Math.max(from, p - (window - gram)), last = Math.min(p, to - window); s <= last; s++) {
          String kind = windowAt(b, s);
          if (kind != null) {
            return kind;
          }
        }
      }
    }
    return null;
  }

  private void addGram(long key) {
    int slot = slot(key, 0);
    while (gramUsed[slot] && grams[slot] != key) {
      slot = (slot + 1) & (grams.length - 1);
    }
    grams[slot] = key;
    gramUsed[slot] = true;
  }

  private boolean hasGram(long key) {
    for (int slot = slot(key, 0); gramUsed[slot]; slot = (slot + 1) & (grams.length - 1)) {
      if (grams[slot] == key) {
        return true;
      }
    }
    return false;
  }

  private void addWindow(byte[] v, int at, String kind) {
    long low = low(v, at);
    long high = high(v, at);
    int slot = slot(low, high);
    while (kinds[slot] != null && (lows[slot] != low || highs[slot] != high)) {
      slot = (slot + 1) & (kinds.length - 1);
    }
    lows[slot] = low;
    highs[slot] = high;
    kinds[slot] = kind;
  }

  private String windowAt(byte[] b, int at) {
    long low = low(b, at);
    long high = high(b, at);
    for (int slot = slot(low, high); kinds[slot] != null; slot = (slot + 1) & (kinds.length - 1)) {
      if (lows[slot] == low && highs[slot] == high) {
        return kinds[slot];
      }
    }
    return null;
  }

  private long low(byte[] b, int at) {
    return pack(b, at, Math.min(8, window));
  }

  private long high(byte[] b, int at) {
    return window > 8 ? pack(b, at + 8, window - 8) : 0;
  }

  private int slot(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    return (int) (h * 0xBF58476D1CE4E5B9L >>> 40) & (grams.length - 1);
  }

  /** {@code length} (1 to 8) bytes from {@code b[at]}, little-endian. */
  private static long pack(byte[] b, int at, int length) {
    if (at + 8 <= b.length) {
      long all = (long) LONG.get(b, at);
      return length == 8 ? all : all & ((1L << (8 * length)) - 1);
    }
    long value = 0;
    for (int i = length - 1; i >= 0; i--) {
      value = value << 8 | (b[at + i] & 0xff);
    }
    return value;
  }
}
