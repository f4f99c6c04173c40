package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class ClassifyTest {

  private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:q-AbCdEf";

  private static SecretsManagerException error(int status, String code) {
    return (SecretsManagerException)
        SecretsManagerException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  void classify_whenThrottled_expectRetryable() {
    assertThat(FetchCredentials.classify(ARN, error(400, "ThrottlingException")))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void classify_whenServiceError_expectRetryable() {
    assertThat(FetchCredentials.classify(ARN, error(500, "InternalServiceError")))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void classify_whenAccessDenied_expectTerminalNamingSecret() {
    assertThat(FetchCredentials.classify(ARN, error(400, "AccessDeniedException")))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(ARN)
        .hasMessageContaining("permission");
  }

  @Test
  void classify_whenKmsDenied_expectTerminal() {
    assertThat(FetchCredentials.classify(ARN, error(400, "DecryptionFailure")))
        .isInstanceOf(TerminalException.class);
  }
}
