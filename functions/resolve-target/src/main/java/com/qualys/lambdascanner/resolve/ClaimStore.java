package com.qualys.lambdascanner.resolve;

/** The dedup claims: the first scan of a piece of code wins, everyone else skips it. */
public interface ClaimStore {

  /**
   * Claims the dedup key for this scan.
   *
   * @param dedupKey the key ({@link DedupKey})
   * @param scanId the claiming scan
   * @param force write the claim even when another scan holds it
   */
  ClaimOutcome claim(String dedupKey, String scanId, boolean force);

  /**
   * The result of a claim.
   *
   * @param won whether this scan holds the claim now
   * @param how CLAIMED (new), RECLAIMED (this scan already held it: a retried invocation), TAKEN_OVER (an
   *     expired claim), FORCED, or HELD (another scan holds it)
   * @param holder the scan that holds it, when it is another one and known
   * @param holderStatus the holder's claim status ({@code CLAIMED} or {@code COMPLETED}), when known
   */
  record ClaimOutcome(boolean won, How how, String holder, String holderStatus) {

    public enum How {
      CLAIMED,
      RECLAIMED,
      TAKEN_OVER,
      FORCED,
      HELD
    }

    static ClaimOutcome won(How how) {
      return new ClaimOutcome(true, how, null, null);
    }

    static ClaimOutcome held(String holder, String holderStatus) {
      return new ClaimOutcome(false, How.HELD, holder, holderStatus);
    }
  }
}
