package com.qualys.lambdascanner.common.priming;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The SDK clients' credentials: the default chain (under SnapStart it reads the container credentials endpoint,
 * after the restore), except while priming, when requests are signed with a fixed fake key. So priming runs the
 * signer without asking the chain: no credential is fetched before the snapshot or kept in it.
 */
public final class PrimingCredentials implements AwsCredentialsProvider {

  /** Not a credential: nothing signed with it leaves the process. */
  static final AwsCredentials FAKE = AwsBasicCredentials.create("PRIMINGONLYNOTAKEY00", "priming-only-not-a-secret");

  private final AwsCredentialsProvider delegate;
  private final Priming priming;

  public PrimingCredentials(AwsCredentialsProvider delegate, Priming priming) {
    this.delegate = delegate;
    this.priming = priming;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return priming.active() ? FAKE : delegate.resolveCredentials();
  }
}
