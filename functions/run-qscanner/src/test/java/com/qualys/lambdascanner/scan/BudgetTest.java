package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {

  private final RunQScanner sut =
      new RunQScanner(
          new Config(
              "b", "arn", Path.of("/q"), Config.GET_REPORT, List.of(), List.of("pkg"), "json", "info",
              Duration.ofSeconds(300), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5),
              Path.of("/tmp"), "", "", Config.DEFAULT_SBOM_FORMATS, true),
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  @Test
  void budget_whenPlentyOfTimeLeft_isTheCap() {
    assertThat(sut.budget(900_000)).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void budget_whenLittleTimeLeft_isRemainingMinusMargin() {
    assertThat(sut.budget(100_500)).isEqualTo(Duration.ofSeconds(70));
  }

  @Test
  void budget_whenBelowMinimum_scanTimeoutWithoutStarting() {
    assertThatThrownBy(() -> sut.budget(39_000))
        .isInstanceOf(ScanTimeoutException.class)
        .hasMessageContaining("not started");
  }
}
