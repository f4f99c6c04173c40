package com.qualys.lambdascanner.common.aws;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one HTTP client a function's SDK clients share, built once per container. The URL connection client
 * starts fastest (no thread pools, no native code) and is the only one on the class path: the Apache and
 * Netty clients are excluded in the root POM. Region, credentials (the default chain, which SnapStart needs)
 * and endpoint ({@code AWS_ENDPOINT_URL}) are left to the SDK's standard providers.
 */
@Module
public interface HttpClientModule {

  @Provides
  @Singleton
  static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.create();
  }
}
