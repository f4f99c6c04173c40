package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The clients of run-qscanner's graph, built by its module as Lambda builds them. */
class RunQScannerModuleTest {

  private String region;

  @BeforeEach
  void region() {
    // The SDK's default region provider reads aws.region before AWS_REGION; Lambda sets the latter.
    region = System.getProperty("aws.region");
    System.setProperty("aws.region", "us-east-1");
  }

  @AfterEach
  void restore() {
    if (region == null) {
      System.clearProperty("aws.region");
    } else {
      System.setProperty("aws.region", region);
    }
  }

  @Test
  void clients_whenBuilt_shareTheContainersOneCredentialsChain() {
    AwsCredentialsProvider shared = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"));
    SdkHttpClient http = UrlConnectionHttpClient.create();

    try (var secrets = RunQScannerModule.secretsManager(http, shared); var s3 = RunQScannerModule.s3(http, shared)) {
      assertThat(secrets.serviceClientConfiguration().credentialsProvider()).isSameAs(shared);
      assertThat(s3.serviceClientConfiguration().credentialsProvider()).isSameAs(shared);
    }
  }
}
