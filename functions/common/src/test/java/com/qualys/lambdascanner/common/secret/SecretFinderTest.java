package com.qualys.lambdascanner.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretFinderTest {

  private static final String TOKEN = "eyJhbGciOi.qualys+Tok3n/with=Special~chars_0123456789";

  @Test
  void scan_whenGivenARangeOfAnArray_reportsSpansWithinItOnly() {
    String text = TOKEN + " {\"a\": \"" + TOKEN + "\"} " + TOKEN;
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int from = TOKEN.length() + 1;
    int to = bytes.length - TOKEN.length() - 1;
    List<String> found = new ArrayList<>();

    SecretFinder.of(List.of(new Secret("qualys-token", TOKEN)))
        .scan(bytes, from, to, (start, end, label) -> found.add(start + "-" + end + " " + label));

    int start = text.indexOf(TOKEN, from);
    assertThat(found).containsExactly(start + "-" + (start + TOKEN.length()) + " qualys-token:plain");
  }

  @Test
  void scrub_whenSecretIsWrappedAnywhereAfterAnyText_masksIt() {
    // The scan looks ahead a window and skips to after any byte no span holds: the bytes of an indented line wrap
    // (real or JSON-escaped) are held, whichever byte of the window they fall on. A secret of one window only: no
    // part of it is one.
    String secret = TOKEN.substring(0, 16);
    SecretFinder sut = SecretFinder.of(List.of(new Secret("qualys-token", secret)));
    for (String wrap : List.of("\n    ", "\r\n\t", "\n> ", "\\n      ")) {
      for (int cut = 1; cut < secret.length(); cut++) {
        for (int before = 0; before <= 17; before++) {
          String text = "{\"k\": \"" + "ab ".repeat(before / 3) + "x".repeat(before % 3) + " "
              + secret.substring(0, cut) + wrap + secret.substring(cut) + "\"}";

          assertThat(sut.scrub(text)).as(text).contains("[REDACTED:qualys-token:");
        }
      }
    }
  }

  @Test
  void scrub_whenTextHoldsCharactersBeyondLatin1_masksTheSecretBetweenThem() {
    SecretFinder sut = SecretFinder.of(List.of(new Secret("qualys-token", TOKEN)));

    assertThat(sut.scrub("中文 " + TOKEN + " 😀 ok")).isEqualTo("中文 [REDACTED:qualys-token:plain] 😀 ok");
    assertThat(sut.scrub("中文 nothing 😀")).isEqualTo("中文 nothing 😀");
  }

  @Test
  void scrub_whenANonAsciiSecretIsPercentEncoded_masksIt() {
    // Percent-encoding writes UTF-8 bytes: the secret is looked for as its UTF-8 bytes, so they match.
    String secret = "pässwörd-über-geheim-0123";
    SecretFinder sut = SecretFinder.of(List.of(new Secret("client-secret", secret)));

    String out = sut.scrub("q=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&x=1");

    assertThat(out).isEqualTo("[REDACTED:client-secret:percent]");
  }
}
