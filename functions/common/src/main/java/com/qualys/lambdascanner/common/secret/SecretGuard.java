package com.qualys.lambdascanner.common.secret;

import java.util.Collection;

/**
 * The secrets of the invocation under way, for everything that leaves the function: the {@code JsonCodec} (handler
 * outputs, error causes, log lines, S3 records, SNS and EventBridge messages, Security Hub findings) and the taggers
 * redact through it. A function that holds secrets (Run QScanner) tells it which as soon as it has them; the
 * others redact the shapes of {@link Redactor#patternsOnly()} alone. One per container: Lambda runs one invocation
 * at a time in it, and the codec forgets the secrets when the invocation ends.
 */
public final class SecretGuard {

  private volatile Redactor redactor = Redactor.patternsOnly();

  /** From now until {@link #forget()}, these values are redacted too. */
  public void remember(Collection<Secret> secrets) {
    redactor = Redactor.of(secrets);
  }

  public void forget() {
    redactor = Redactor.patternsOnly();
  }

  public String redact(String text) {
    return redactor.redact(text);
  }
}
