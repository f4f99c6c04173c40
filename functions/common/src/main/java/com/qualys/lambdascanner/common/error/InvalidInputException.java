package com.qualys.lambdascanner.common.error;

/**
 * The input is not what the function accepts (malformed JSON, a missing field, an invalid ARN). Terminal:
 * the failure branch records it. Messages name the field, never echo an unbounded value.
 */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
