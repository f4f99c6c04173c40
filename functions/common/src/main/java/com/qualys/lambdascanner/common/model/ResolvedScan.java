package com.qualys.lambdascanner.common.model;

/**
 * Resolve Target's output, which becomes the execution's state document.
 *
 * @param scanId the scan's id (the execution name when run by the state machine)
 * @param target the resolved target; null only when the function could not be described (a skip)
 * @param trigger what started the scan
 * @param decision scan or skip
 * @param dedupKey the deduplication key (null when skipped before the target was described)
 * @param exposure the function's exposure facts, read only when the decision is to scan (else null)
 */
public record ResolvedScan(
    String scanId, Target target, Trigger trigger, Decision decision, String dedupKey, Exposure exposure) {

  /** A resolution without exposure facts (a skip: nothing is read for a function that is not scanned). */
  public ResolvedScan(String scanId, Target target, Trigger trigger, Decision decision, String dedupKey) {
    this(scanId, target, trigger, decision, dedupKey, null);
  }
}
