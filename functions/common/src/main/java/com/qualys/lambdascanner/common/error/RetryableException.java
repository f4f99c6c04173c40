package com.qualys.lambdascanner.common.error;

/**
 * A failure worth another try (a throttled or unavailable dependency, a scanner upload error). The state
 * machine retries this class by name, {@code com.qualys.lambdascanner.common.error.RetryableException}, and
 * nothing else of ours: keep the name stable.
 */
public final class RetryableException extends RuntimeException {
  public RetryableException(String message) {
    super(message);
  }

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
