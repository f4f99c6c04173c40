package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.SecretVariants;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Masks secret values (the Qualys token, the AWS keys qscanner was given, the ECR password) in a file of any size,
 * in bounded memory, in each form {@link SecretVariants} lists (JSON-escaped, URL-encoded, base64): the same forms
 * the {@link Redactor} masks in logs. A value split across lines is the Redactor's alone: reports are JSON, whose
 * strings hold no raw line break. Bytes are handled as ISO-8859-1 text, one char per byte, so the file's own encoding is kept
 * byte for byte apart from the masked values.
 */
final class SecretScrubber {

  private static final int CHUNK = 1 << 20;

  private final List<String> needles;
  private final int longest;

  SecretScrubber(Collection<String> secretValues) {
    this.needles =
        secretValues.stream()
            .filter(v -> v != null && v.length() >= 8)
            .flatMap(v -> SecretVariants.of(v).stream())
            .distinct()
            .map(v -> new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
            .sorted((a, b) -> b.length() - a.length())
            .toList();
    this.longest = needles.stream().mapToInt(String::length).max().orElse(0);
  }

  /** Whether any secret value occurs in the file. */
  boolean occursIn(Path file) throws IOException {
    if (needles.isEmpty()) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      String carry = "";
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        String window = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        for (String needle : needles) {
          if (window.contains(needle)) {
            return true;
          }
        }
        carry = window.substring(Math.max(0, window.length() - (longest - 1)));
      }
      return false;
    }
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
        for (String needle : needles) {
          int at;
          while ((at = window.indexOf(needle)) >= 0) {
            window = window.substring(0, at) + Redactor.MASK + window.substring(at + needle.length());
            masked++;
          }
        }
        // A secret cut by the chunk's end starts within its last (longest - 1) chars: keep those for the next round.
        int keep = Math.min(window.length(), Math.max(0, longest - 1));
        out.write(window.substring(0, window.length() - keep).getBytes(StandardCharsets.ISO_8859_1));
        carry = window.substring(window.length() - keep);
      }
      out.write(carry.getBytes(StandardCharsets.ISO_8859_1));
    }
    return masked;
  }
}
