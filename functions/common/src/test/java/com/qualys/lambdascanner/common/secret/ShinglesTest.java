package com.qualys.lambdascanner.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sampled lookup never misses a window: every window of a secret, at every offset in the text, with the text at
 * every offset in its array, for every window size from the shortest secret looked for to {@link SecretFinder#WINDOW}.
 */
class ShinglesTest {

  private static final String SECRET = "Kq7/Zr+3Wm9-Xt1_Vb5=Hn2~Jc8.Lp4:Fd6@Gs0!Yw";

  @ParameterizedTest(name = "window {0}")
  @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15, 16})
  void find_whenAWindowOfASecretSitsAtAnyOffset_findsIt(int window) {
    Shingles sut = new Shingles(window, List.of(new Secret("test", SECRET)));
    for (int start = 0; start + window <= SECRET.length(); start++) {
      String piece = SECRET.substring(start, start + window);
      for (int before = 0; before <= 2 * window; before++) {
        for (int lead : new int[] {0, 3}) {
          // After the text: nothing (the array's end), or a little.
          for (String after : new String[] {"", "\"}"}) {
            byte[] text = ("#".repeat(lead) + "a".repeat(before) + piece + after).getBytes(StandardCharsets.UTF_8);

            assertThat(sut.find(text, lead, text.length))
                .as("window %d, piece at %d, %d before, text at %d", window, start, before, lead)
                .isEqualTo("test");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "window {0}")
  @ValueSource(ints = {8, 12, 16})
  void find_whenTextHoldsOnlyPiecesShorterThanTheWindow_findsNothing(int window) {
    Shingles sut = new Shingles(window, List.of(new Secret("test", SECRET)));
    for (int start = 0; start + window - 1 <= SECRET.length(); start++) {
      String piece = SECRET.substring(start, start + window - 1);
      byte[] text = (piece + " " + piece + piece.substring(0, 3)).getBytes(StandardCharsets.UTF_8);

      assertThat(sut.find(text, 0, text.length)).as("piece at %d", start).isNull();
    }
  }

  @ParameterizedTest(name = "window {0}")
  @ValueSource(ints = {8, 16})
  void find_whenTheWindowIsCutOffByTheRangeEnd_findsNothing(int window) {
    Shingles sut = new Shingles(window, List.of(new Secret("test", SECRET)));
    byte[] text = ("xx" + SECRET.substring(0, window)).getBytes(StandardCharsets.UTF_8);

    assertThat(sut.find(text, 0, text.length - 1)).isNull();
    assertThat(sut.find(text, 0, text.length)).isEqualTo("test");
  }
}
