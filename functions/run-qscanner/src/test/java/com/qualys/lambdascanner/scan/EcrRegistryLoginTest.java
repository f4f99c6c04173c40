package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

class EcrRegistryLoginTest {

  // No HTTP client: any attempt to call ECR would fail the test with a NullPointerException.
  private final EcrRegistryLogin sut = new EcrRegistryLogin(null, null);
  private final AwsBasicCredentials credentials = AwsBasicCredentials.create("AKIDEXAMPLE", "secret-key-value");

  @Test
  void environment_whenZipFunction_isEmptyWithoutCallingEcr() {
    assertThat(sut.environment(TestSupport.zipTarget("f"), credentials)).isEmpty();
  }

  @Test
  void environment_whenImageIsNotInEcr_isEmptyWithoutCallingEcr() {
    String digest = "registry.example.com/team/app@sha256:" + "ab".repeat(32);

    assertThat(sut.environment(TestSupport.imageTarget("f", digest), credentials)).isEmpty();
  }

  @Test
  void environment_whenRegistryIsInAnotherRegion_invalidInputWithoutCallingEcr() {
    String digest = "210987654321.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:" + "ab".repeat(32);
    var target = TestSupport.imageTarget("210987654321", "eu-west-1", "f", digest);

    assertThatThrownBy(() -> sut.environment(target, credentials))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("region");
  }
}
