package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Redactor;
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
    String before = "é".repeat(0) + "x".repeat((1 << 20) - 10);
    String content = before + TOKEN + " middle ü " + TOKEN;
    Path source = Files.writeString(dir.resolve("in.json"), content);
    Path target = dir.resolve("out.json");
    SecretScrubber sut = new SecretScrubber(List.of(TOKEN, "short"));

    int masked = sut.copyRedacted(source, target);

    assertThat(masked).isEqualTo(2);
    String out = Files.readString(target, StandardCharsets.UTF_8);
    assertThat(out).doesNotContain(TOKEN).endsWith(" middle ü " + Redactor.MASK).startsWith(before + Redactor.MASK);
  }

  @Test
  void copyRedacted_whenSecretEncoded_masksEveryForm() throws IOException {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    String base64 = java.util.Base64.getEncoder().encodeToString(("AWS:" + secret).getBytes(StandardCharsets.UTF_8));
    String content = "{\"a\": \"" + secret.replace("/", "\\/") + "\", \"b\": \""
        + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8) + "\", \"auth\": \"" + base64 + "\"}";
    Path source = Files.writeString(dir.resolve("in.json"), content);
    Path target = dir.resolve("out.json");

    int masked = new SecretScrubber(List.of(secret)).copyRedacted(source, target);

    String out = Files.readString(target, StandardCharsets.UTF_8);
    assertThat(masked).isEqualTo(3);
    assertThat(out).doesNotContain("K7MDENG").doesNotContain("K7MDENG".replace("/", "%2F"))
        .doesNotContain(base64.substring(8, 30));
  }

  @Test
  void occursIn_whenAbsent_isFalse() throws IOException {
    Path source = Files.writeString(dir.resolve("in.json"), "{\"clean\": true}");

    assertThat(new SecretScrubber(List.of(TOKEN)).occursIn(source)).isFalse();
    assertThat(new SecretScrubber(List.of(TOKEN)).occursIn(Files.writeString(dir.resolve("b"), "a" + TOKEN))).isTrue();
  }
}
