package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkRetriesTest {

  @ParameterizedTest
  @ValueSource(ints = {10, 20, 30, 45, 60, 120, 270, 600, 870})
  void fitting_whenAnyBudget_pollingWorstCaseFitsHalfOfIt(int scanTimeoutSeconds) {
    NetworkRetries sut = NetworkRetries.fitting(Duration.ofSeconds(scanTimeoutSeconds));

    // The first wait alone (15 s) is the README's, not ours: beyond it, every retry must fit.
    long half = scanTimeoutSeconds / 2;
    assertThat(sut.worstCase().toSeconds()).isLessThanOrEqualTo(Math.max(half, 15));
    assertThat(sut.retries()).isBetween(0, NetworkRetries.MAX_RETRIES);
    assertThat(sut.waitMax()).isBetween(NetworkRetries.WAIT_MIN, NetworkRetries.WAIT_MAX);
  }

  @Test
  void fitting_whenTheDefaultScanTimeout_keepsRetriesButFarBelowTheReadmeDefaults() {
    NetworkRetries sut = NetworkRetries.fitting(Duration.ofSeconds(270));

    assertThat(sut).isEqualTo(new NetworkRetries(5, Duration.ofSeconds(5), Duration.ofSeconds(33)));
    assertThat(sut.worstCase()).isEqualTo(Duration.ofSeconds(116));
    // The README's defaults (10 retries, 5 s to 120 s) poll for up to 770 s: past any Lambda deadline.
    assertThat(new NetworkRetries(10, Duration.ofSeconds(5), Duration.ofSeconds(120)).worstCase())
        .isEqualTo(Duration.ofSeconds(770));
  }

  @Test
  void flags_always_goOnTheCommandLineAsDurations() {
    assertThat(NetworkRetries.fitting(Duration.ofSeconds(20)).flags())
        .containsExactly(
            "--max-network-retries", "0", "--network-retry-wait-min", "5s", "--network-retry-wait-max", "5s");
  }
}
