package com.qualys.lambdascanner.resolve.exposure;

import com.qualys.lambdascanner.resolve.TargetAccess;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Why a fact could not be read, in one line: the error code and status, never a response body. */
final class ReadFailures {

  private ReadFailures() {}

  static String describe(SdkException e, TargetAccess.Reader reader) {
    String who = reader.own() ? "this function's role" : "the spoke role " + reader.roleArn();
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      if (status == 403 || "AccessDenied".equals(code) || "AccessDeniedException".equals(code)) {
        return "access denied to " + who + " (" + code + ")";
      }
      if (status == 429 || service.isThrottlingException()) {
        return "throttled (" + code + ")";
      }
      return "failed (" + (code == null ? "no error code" : code) + ", HTTP " + status + ")";
    }
    if (e instanceof SdkClientException) {
      return "did not complete (network or timeout)";
    }
    return "failed";
  }
}
