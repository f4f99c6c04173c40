package com.qualys.lambdascanner.common.error;

/** The scan did not finish within its budget; the scanner was stopped. Routes to the timeout branch. */
public final class ScanTimeoutException extends RuntimeException {
  public ScanTimeoutException(String message) {
    super(message);
  }
}
