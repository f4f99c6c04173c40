package com.qualys.lambdascanner.scan;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes written: keeps a chatty scanner's output from filling memory. */
final class TailBuffer {

  private final byte[] ring;
  private long written;

  TailBuffer(int capacity) {
    this.ring = new byte[capacity];
  }

  synchronized void write(byte[] data, int offset, int length) {
    // Only the last ring.length bytes of this write can survive it.
    int skip = Math.max(0, length - ring.length);
    written += skip;
    int from = offset + skip;
    int left = length - skip;
    while (left > 0) {
      int at = (int) (written % ring.length);
      int n = Math.min(left, ring.length - at);
      System.arraycopy(data, from, ring, at, n);
      written += n;
      from += n;
      left -= n;
    }
  }

  synchronized long totalBytes() {
    return written;
  }

  /** The last {@code maxBytes} bytes (at most the capacity) as text; a cut multi-byte character is replaced. */
  synchronized String tail(int maxBytes) {
    int size = (int) Math.min(Math.min(written, ring.length), maxBytes);
    byte[] out = new byte[size];
    long start = written - size;
    for (int i = 0; i < size; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
