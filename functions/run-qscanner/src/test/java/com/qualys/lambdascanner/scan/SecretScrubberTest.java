package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScrubberTest {

  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.token-value-0123456789";

  @TempDir Path dir;

  @Test
  void copyRedacted_whenSecretStraddlesAChunkBoundary_masksIt() throws IOException {
    // 1 MiB chunks: put one occurrence across the first boundary and one at the very end.
    String before = "{\"a\": \"" + "x ".repeat(((1 << 20) - 20) / 2);
    String content = before + TOKEN + " middle ü " + TOKEN;
    Path source = Files.writeString(dir.resolve("in.json"), content);
    Path target = dir.resolve("out.json");

    int masked = scrubber(TOKEN, "short").copyRedacted(source, target);

    assertThat(masked).isEqualTo(2);
    String out = Files.readString(target, StandardCharsets.UTF_8);
    assertThat(out).isEqualTo(before + MASK + " middle ü " + MASK);
  }

  @Test
  void copyRedacted_whenEncodedSecretCrossesTheChunkBoundaryAtAnyOffset_masksIt() throws IOException {
    String secret = "wJalrXUtn/FEMI/K7MDENG/bPxRfiCY/zEXAMPLEKEY";
    String base64 = java.util.Base64.getEncoder().encodeToString(("AWS:" + secret).getBytes(StandardCharsets.UTF_8));
    List<String> forms = List.of(
        base64.substring(0, 30) + "\\n  " + base64.substring(30), // wrapped inside a JSON string
        java.net.URLEncoder.encode(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8), StandardCharsets.UTF_8),
        java.util.HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)).replaceAll("(..)", "\\\\x$1"));
    for (String form : forms) {
      // The form starts from well before the 1 MiB boundary to just at it, a line break or a JSON escape included.
      for (int offset = 0; offset <= form.length(); offset += 5) {
        String before = "{\"a\": \"" + "x".repeat((1 << 20) - 8 - offset) + "\", \"b\": \"";
        String content = before + form + "\"}";
        Path source = Files.writeString(dir.resolve("in.json"), content);
        Path target = dir.resolve("out.json");

        int masked = scrubber(secret).copyRedacted(source, target);

        String out = Files.readString(target, StandardCharsets.UTF_8);
        assertThat(masked).as("%s at %d", form, offset).isEqualTo(1);
        assertThat(out.substring(before.length())).as("%s at %d", form, offset).startsWith("[REDACTED:test:");
      }
    }
  }

  @Test
  void copyRedacted_whenSecretEncoded_masksEveryForm() throws IOException {
    String secret = "wJalrXUtn/FEMI/K7MDENG/bPxRfiCY/zEXAMPLEKEY";
    String base64 = java.util.Base64.getEncoder().encodeToString(("AWS:" + secret).getBytes(StandardCharsets.UTF_8));
    String hex = java.util.HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
    String content = "{\"a\": \"" + secret.replace("/", "\\/") + "\", \"b\": \""
        + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8) + "\", \"auth\": \"" + base64
        + "\", \"hex\": \"" + hex + "\"}";
    Path source = Files.writeString(dir.resolve("in.json"), content);
    Path target = dir.resolve("out.json");

    int masked = scrubber(secret).copyRedacted(source, target);

    String out = Files.readString(target, StandardCharsets.UTF_8);
    assertThat(masked).isEqualTo(4);
    assertThat(out).isEqualTo("{\"a\": \"[REDACTED:test:escaped]\", \"b\": \"[REDACTED:test:percent]\", "
        + "\"auth\": \"[REDACTED:test:base64]\", \"hex\": \"[REDACTED:test:hex]\"}");
  }

  @Test
  void copyRedacted_whenNoSecret_copiesByteForByte() throws IOException {
    byte[] content = "{\"clean\": \"été d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592\"}"
        .getBytes(StandardCharsets.UTF_8);
    Path source = Files.write(dir.resolve("in.json"), content);

    int masked = scrubber(TOKEN).copyRedacted(source, dir.resolve("out.json"));

    assertThat(masked).isZero();
    assertThat(Files.readAllBytes(dir.resolve("out.json"))).isEqualTo(content);
  }

  private static final String MASK = "[REDACTED:test:plain]";

  private static SecretScrubber scrubber(String... values) {
    return new SecretScrubber(SecretFinder.of(java.util.Arrays.stream(values).map(v -> new Secret("test", v)).toList()));
  }
}
