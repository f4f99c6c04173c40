package com.qualys.lambdascanner.common.error;

/**
 * A failure another try will not fix (missing permission, bad configuration, a scanner configuration error).
 * The state machine sends it to the failure branch without retrying.
 */
public final class TerminalException extends RuntimeException {
  public TerminalException(String message) {
    super(message);
  }

  public TerminalException(String message, Throwable cause) {
    super(message, cause);
  }
}
