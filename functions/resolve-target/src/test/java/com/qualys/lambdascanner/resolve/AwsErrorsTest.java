package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.LambdaException;

class AwsErrorsTest {

  private static LambdaException error(int status, String code) {
    return (LambdaException)
        LambdaException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  void map_whenThrottled_isRetryable() {
    assertThat(AwsErrors.map(error(429, "TooManyRequestsException"), "lambda:GetFunction", "f"))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void map_whenServerError_isRetryable() {
    assertThat(AwsErrors.map(error(503, "ServiceException"), "lambda:GetFunction", "f"))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void map_whenNetworkFails_isRetryable() {
    assertThat(AwsErrors.map(SdkClientException.create("reset"), "lambda:GetFunction", "f"))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void map_whenAccessDenied_isTerminalNamingThePermission() {
    assertThat(AwsErrors.map(error(403, "AccessDeniedException"), "lambda:GetFunction", "arn:x"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("lambda:GetFunction")
        .hasMessageContaining("arn:x");
  }

  @Test
  void map_whenOtherClientError_isTerminal() {
    assertThat(AwsErrors.map(error(400, "InvalidParameterValueException"), "lambda:GetFunction", "f"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("InvalidParameterValueException");
  }
}
