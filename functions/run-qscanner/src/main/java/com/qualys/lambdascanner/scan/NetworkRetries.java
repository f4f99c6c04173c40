package com.qualys.lambdascanner.scan;

import java.time.Duration;
import java.util.List;

/**
 * How long qscanner may poll Qualys for the report. QScanner's README v4.8.0 ("Backend Communication"): after data
 * collection, get-report waits about 15 s, then retries up to {@code --max-network-retries} (10) times, waiting from
 * {@code --network-retry-wait-min} (5 s) doubling up to {@code --network-retry-wait-max} (120 s): about 13 minutes in
 * all, more than a Lambda invocation has. With only {@code --scan-timeout}, a slow backend would end in a kill at the
 * deadline (no inventory kept) instead of exit 40 (a PARTIAL that keeps it). So the polling is cut to fit half of
 * the scan's budget; the other half is for collecting (the official Lambda scanner's scans take about 20 s).
 *
 * @param retries {@code --max-network-retries}
 * @param waitMin {@code --network-retry-wait-min}
 * @param waitMax {@code --network-retry-wait-max}
 */
record NetworkRetries(int retries, Duration waitMin, Duration waitMax) {

  static final Duration FIRST_WAIT = Duration.ofSeconds(15);
  static final Duration WAIT_MIN = Duration.ofSeconds(5);
  static final Duration WAIT_MAX = Duration.ofSeconds(120);
  static final int MAX_RETRIES = 10;

  /** The most retries, within the README's defaults, whose worst case fits half of {@code scanTimeout}. */
  static NetworkRetries fitting(Duration scanTimeout) {
    long budget = scanTimeout.toSeconds() / 2;
    long waitMax = Math.clamp(budget / 4, WAIT_MIN.toSeconds(), WAIT_MAX.toSeconds());
    long total = FIRST_WAIT.toSeconds();
    long wait = WAIT_MIN.toSeconds();
    int retries = 0;
    while (retries < MAX_RETRIES && total + wait <= budget) {
      total += wait;
      retries++;
      wait = Math.min(wait * 2, waitMax);
    }
    return new NetworkRetries(retries, WAIT_MIN, Duration.ofSeconds(waitMax));
  }

  /** The longest qscanner polls with these settings when the report never comes. */
  Duration worstCase() {
    long total = FIRST_WAIT.toSeconds();
    long wait = waitMin.toSeconds();
    for (int i = 0; i < retries; i++) {
      total += wait;
      wait = Math.min(wait * 2, waitMax.toSeconds());
    }
    return Duration.ofSeconds(total);
  }

  List<String> flags() {
    return List.of(
        "--max-network-retries", Integer.toString(retries),
        "--network-retry-wait-min", waitMin.toSeconds() + "s",
        "--network-retry-wait-max", waitMax.toSeconds() + "s");
  }
}
