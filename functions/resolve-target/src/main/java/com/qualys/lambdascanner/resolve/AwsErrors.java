package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps an AWS SDK failure onto the error contract: throttling, 5xx and client-side failures (network,
 * timeouts) are retryable; access denied is terminal and names the permission the role lacks; anything else
 * is terminal. Messages carry the error code and status, never a request or response body.
 */
final class AwsErrors {

  private static final Set<String> THROTTLING =
      Set.of(
          "TooManyRequestsException",
          "ThrottlingException",
          "Throttling",
          "ThrottledException",
          "RequestLimitExceeded",
          "SlowDown",
          "RequestThrottled");

  private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");

  private AwsErrors() {}

  /**
   * @param e the SDK failure
   * @param permission the IAM action the call needs ({@code lambda:GetFunction})
   * @param resource what it was called on
   */
  static RuntimeException map(SdkException e, String permission, String resource) {
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String what = permission + " on " + resource + " failed (" + (code == null ? "no error code" : code) + ", HTTP " + status + ")";
      if (status == 429 || status >= 500 || service.isThrottlingException() || (code != null && THROTTLING.contains(code))) {
        return new RetryableException(what, e);
      }
      if (status == 403 || (code != null && DENIED.contains(code))) {
        return new TerminalException(
            "access denied: the function's role needs " + permission + " on " + resource, e);
      }
      return new TerminalException(what, e);
    }
    if (e instanceof SdkClientException) {
      return new RetryableException(permission + " on " + resource + " did not complete (network or timeout)", e);
    }
    return new TerminalException(permission + " on " + resource + " failed", e);
  }
}
