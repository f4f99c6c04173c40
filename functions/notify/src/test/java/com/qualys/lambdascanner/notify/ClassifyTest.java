package com.qualys.lambdascanner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.model.SnsException;

class ClassifyTest {

  private static SnsException error(int status, String code) {
    return (SnsException)
        SnsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  void classify_whenThrottled_expectRetryable() {
    assertThat(Notify.classify("publish", error(400, "Throttled"))).isInstanceOf(RetryableException.class);
  }

  @Test
  void classify_whenInternalError_expectRetryable() {
    assertThat(Notify.classify("publish", error(500, "InternalError"))).isInstanceOf(RetryableException.class);
  }

  @Test
  void classify_whenNotFound_expectTerminal() {
    assertThat(Notify.classify("publish", error(404, "NotFound"))).isInstanceOf(TerminalException.class);
  }

  @Test
  void classify_whenAuthorizationError_expectTerminal() {
    assertThat(Notify.classify("publish", error(403, "AuthorizationError")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("AuthorizationError");
  }
}
