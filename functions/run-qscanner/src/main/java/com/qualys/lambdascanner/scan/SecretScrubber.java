package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.secret.SecretFinder;
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

  private static final String LABELLED_MASK = "[REDACTED:";

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
    int masked = 0;
    try (InputStream in = Files.newInputStream(source);
        OutputStream out = Files.newOutputStream(target)) {
      String carry = "";
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        String window = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        int cut = window.length() >= MAX_WINDOW ? window.length() : cutPoint(window);
        String scrubbed = finder.scrub(window.substring(0, cut));
        masked += count(scrubbed) - count(window.substring(0, cut));
        out.write(scrubbed.getBytes(StandardCharsets.ISO_8859_1));
        carry = window.substring(cut);
      }
      String scrubbed = finder.scrub(carry);
      masked += count(scrubbed) - count(carry);
      out.write(scrubbed.getBytes(StandardCharsets.ISO_8859_1));
    }
    return masked;
  }

  /**
   * Just after the last structural character of {@code window} (a quote, comma, brace, bracket or space that no
   * backslash escapes, not next to a line break, real or JSON-escaped, a wrapped value goes on across), or 0 when
   * there is none.
   */
  static int cutPoint(String window) {
    for (int i = window.length() - 1; i > 0; i--) {
      char c = window.charAt(i);
      char before = window.charAt(i - 1);
      boolean escapedWrap = before == 'n' && i > 1 && window.charAt(i - 2) == '\\';
      if ((c == '"' || c == ',' || c == '{' || c == '}' || c == '[' || c == ']' || c == ' ')
          && before != '\\' && before != '\n' && before != ' ' && !escapedWrap) {
        return i + 1;
      }
    }
    return 0;
  }

  private static int count(String text) {
    int count = 0;
    for (int at = text.indexOf(LABELLED_MASK); at >= 0; at = text.indexOf(LABELLED_MASK, at + 1)) {
      count++;
    }
    return count;
  }
}
