package com.qualys.lambdascanner.credentials;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** Secrets Manager without the network: one secret, and a count of the reads. */
final class FakeSecrets implements SecretsManagerClient {

  static final String VERSION = "a1b2c3d4-0000-4000-8000-000000000001";

  int reads;
  private final String arn;
  private final String value;

  FakeSecrets(String arn, String value) {
    this.arn = arn;
    this.value = value;
  }

  @Override
  public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
    reads++;
    return GetSecretValueResponse.builder().arn(arn).versionId(VERSION).secretString(value).build();
  }

  @Override
  public String serviceName() {
    return "secretsmanager";
  }

  @Override
  public void close() {}
}
