package com.qualys.lambdascanner.resolve;

import java.util.HashMap;
import java.util.Map;

/** The claim rules of {@link S3ClaimStore} without S3 (expiry is covered by the integration test). */
final class InMemoryClaimStore implements ClaimStore {

  record Held(String scanId, String status) {}

  private final Map<String, Held> claims = new HashMap<>();
  int attempts;

  @Override
  public synchronized ClaimOutcome claim(String dedupKey, String scanId, boolean force) {
    attempts++;
    Held held = claims.get(dedupKey);
    if (force || held == null) {
      claims.put(dedupKey, new Held(scanId, "CLAIMED"));
      return ClaimOutcome.won(force ? ClaimOutcome.How.FORCED : ClaimOutcome.How.CLAIMED);
    }
    if (held.scanId().equals(scanId)) {
      return ClaimOutcome.won(ClaimOutcome.How.RECLAIMED);
    }
    return ClaimOutcome.held(held.scanId(), held.status());
  }

  /** What Store Results does after a completed scan. */
  synchronized void complete(String dedupKey) {
    claims.computeIfPresent(dedupKey, (k, held) -> new Held(held.scanId(), "COMPLETED"));
  }

  synchronized Map<String, Held> claims() {
    return Map.copyOf(claims);
  }
}
