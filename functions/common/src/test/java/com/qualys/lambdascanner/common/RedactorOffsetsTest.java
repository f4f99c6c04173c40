package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The finder alone (without the Redactor's patterns) finds every secret kind in every encoding of the corpus at
 * every offset within its candidate span: the secret windows are looked up at sampled positions only (every 9th
 * byte), so each encoding is tried with 0 to 17 characters glued in front of it ('.', which no decoding changes),
 * of the whole secret and of its first 16 characters alone (one window: no other one to be found instead).
 */
class RedactorOffsetsTest {

  static Stream<Arguments> corpus() {
    return RedactorCorpusTest.corpus();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("corpus")
  void scrub_whenEncodedSecretStartsAtAnyOffsetOfItsSpan_masksIt(String kind, String encoding, String secret,
      RedactorCorpusTest.Encoding enc) {
    for (String value : List.of(secret, secret.substring(0, 16))) {
      SecretFinder sut = SecretFinder.of(List.of(new Secret("test", value)));
      String encoded = enc.encode().apply(value);
      for (int before = 0; before <= 17; before++) {
        String text = ".".repeat(before) + encoded + ".".repeat(17 - before);

        assertThat(sut.scrub(text)).as("%s / %s, %d before: %s", kind, encoding, before, text)
            .contains(Redactor.MASK_PREFIX);
      }
    }
  }
}
