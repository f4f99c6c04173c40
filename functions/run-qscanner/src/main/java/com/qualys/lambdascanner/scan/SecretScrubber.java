package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies qscanner's output files with every secret value masked, in any form the {@link SecretFinder} decodes (the
 * same finder the logs' Redactor uses), in bounded memory: a file is read in chunks cut where no candidate span can
 * go on (outside a value), so a value is never split between two chunks. Bytes are handled as ISO-8859-1 text, one
 * char per byte, so the file's own encoding is kept byte for byte apart from the masked values. Everything Run
 * QScanner reads of a report (findings, the index, the scanner's version, the image metadata) is read from these
 * copies, never from qscanner's files: a report is untrusted data.
 */
final class SecretScrubber {

  private static final int CHUNK = 1 << 20;

  /** A chunk with no place to cut (one value of megabytes) is cut anyway: memory stays bounded. */
  private static final int MAX_WINDOW = 8 * CHUNK;

  private final SecretFinder finder;

  SecretScrubber(SecretFinder finder) {
    this.finder = finder;
  }

  /** Copies every output file of {@code dir} into {@code scrubbed}, masked; returns how many values were masked. */
  int copyAll(Path dir, Path scrubbed) {
    int masked = 0;
    for (Path file : ReportUploader.files(dir)) {
      try {
        masked += copyRedacted(file, scrubbed.resolve(file.getFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read qscanner output " + file.getFileName(), e);
      }
    }
    return masked;
  }

  /** Copies {@code source} to {@code target} with every secret value masked; returns how many were masked. */
  int copyRedacted(Path source, Path target) throws IOException {
    try (InputStream in = Files.newInputStream(source);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
      Masking masking = new Masking(out);
      byte[] window = new byte[2 * CHUNK];
      int length = 0;
      int n;
      while ((n = in.readNBytes(window, length, Math.min(CHUNK, window.length - length))) > 0) {
        length += n;
        int cut = length >= MAX_WINDOW ? length : cutPoint(window, length);
        masking.write(window, 0, cut);
        System.arraycopy(window, cut, window, 0, length - cut);
        length -= cut;
        if (window.length - length < CHUNK) {
          window = java.util.Arrays.copyOf(window, length + CHUNK);
        }
      }
      masking.write(window, 0, length);
      return masking.masked;
    }
  }

  /** Writes text with the spans the finder reports replaced by their labels. */
  private final class Masking {
    private final OutputStream out;
    int masked;

    Masking(OutputStream out) {
      this.out = out;
    }

    void write(byte[] text, int from, int to) throws IOException {
      int[] copied = {from};
      try {
        finder.scan(text, from, to, (start, end, label) -> {
          try {
            out.write(text, copied[0], start - copied[0]);
            out.write(("[REDACTED:" + label + "]").getBytes(StandardCharsets.ISO_8859_1));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          copied[0] = end;
          masked++;
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      out.write(text, copied[0], to - copied[0]);
    }
  }

  /**
   * Just after the last structural character of {@code window[0, length)} (a quote, comma, brace, bracket or space
   * that no backslash escapes, not next to a line break, real or JSON-escaped, a wrapped value goes on across), or 0
   * when there is none.
   */
  static int cutPoint(byte[] window, int length) {
    for (int i = length - 1; i > 0; i--) {
      byte c = window[i];
      byte before = window[i - 1];
      boolean escapedWrap = before == 'n' && i > 1 && window[i - 2] == '\\';
      if ((c == '"' || c == ',' || c == '{' || c == '}' || c == '[' || c == ']' || c == ' ')
          && before != '\\' && before != '\n' && before != ' ' && !escapedWrap) {
        return i + 1;
      }
    }
    return 0;
  }
}
