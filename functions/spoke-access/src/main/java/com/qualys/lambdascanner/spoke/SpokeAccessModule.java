package com.qualys.lambdascanner.spoke;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The STS client every function that uses {@link SpokeAccess} needs, built once per container. */
@Module
public interface SpokeAccessModule {

  /**
   * The function's own credentials and its own region's STS endpoint (the SDK's default is regional, from
   * {@code AWS_REGION}; endpoint from {@code AWS_ENDPOINT_URL}): answers GetCallerIdentity, and AssumeRole on spoke
   * roles in hub mode.
   */
  @Provides
  @Singleton
  static StsClient sts(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return StsClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }
}
