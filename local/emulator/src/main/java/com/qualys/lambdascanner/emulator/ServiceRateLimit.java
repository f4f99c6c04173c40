package com.qualys.lambdascanner.emulator;

/**
 * A service's request rate quota, as AWS enforces one: a token bucket of {@code burst} requests refilled at
 * {@code perSecond} (Security Hub's BatchImportFindings: 10 a second, bursts of 30, per account and region).
 */
final class ServiceRateLimit {

  private final double perSecond;
  private final double burst;
  private double tokens;
  private long lastNanos;

  ServiceRateLimit(double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = System.nanoTime();
  }

  /** Takes one request's token: false when the quota is spent (the request is throttled). */
  synchronized boolean admit() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
