package com.qualys.lambdascanner.common.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The execution's state document as it stands when Store Results or Notify reads it. Every field may be null:
 * on the failure path after Resolve Target failed, the state is the raw event plus {@code error}.
 *
 * @param scanId from Resolve Target
 * @param target from Resolve Target
 * @param trigger from Resolve Target
 * @param decision from Resolve Target
 * @param dedupKey from Resolve Target
 * @param credentials from Fetch Credentials ({@code $.credentials})
 * @param scan from Run QScanner ({@code $.scan})
 * @param record from Store Results ({@code $.record})
 * @param error from a Catch ({@code $.error})
 * @param exposure from Resolve Target (null on a skip, and in states written before exposure was read)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineState(
    String scanId,
    Target target,
    Trigger trigger,
    Decision decision,
    String dedupKey,
    CredentialRefs credentials,
    ScanResult scan,
    StoredRecord record,
    TaskError error,
    Exposure exposure) {

  /** A state without exposure facts. */
  public PipelineState(String scanId, Target target, Trigger trigger, Decision decision, String dedupKey,
      CredentialRefs credentials, ScanResult scan, StoredRecord record, TaskError error) {
    this(scanId, target, trigger, decision, dedupKey, credentials, scan, record, error, null);
  }
}
