package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  private final Env sut = Env.of(Map.of("BUCKET", " results ", "N", "12", "BAD_N", "twelve", "FLAG", "TRUE", "BLANK", " "));

  @Test
  void required_whenMissingOrBlank_throwsTerminalNamingTheVariable() {
    assertThatThrownBy(() -> sut.required("BLANK"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("BLANK");
    assertThatThrownBy(() -> sut.required("NOPE")).hasMessageContaining("NOPE");
  }

  @Test
  void required_whenSet_returnsItStripped() {
    assertThat(sut.required("BUCKET")).isEqualTo("results");
  }

  @Test
  void integer_whenMalformed_throwsTerminal() {
    assertThat(sut.integer("N", 0)).isEqualTo(12);
    assertThat(sut.integer("NOPE", 7)).isEqualTo(7);
    assertThatThrownBy(() -> sut.integer("BAD_N", 0)).isInstanceOf(TerminalException.class);
  }

  @Test
  void flag_whenTrueInAnyCase_isTrue() {
    assertThat(sut.flag("FLAG", false)).isTrue();
    assertThat(sut.flag("NOPE", true)).isTrue();
    assertThatThrownBy(() -> sut.flag("BUCKET", false)).isInstanceOf(TerminalException.class);
  }
}
