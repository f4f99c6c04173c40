package com.qualys.lambdascanner.common.aws;

import com.qualys.lambdascanner.common.priming.Priming;
import com.qualys.lambdascanner.common.priming.PrimingCredentials;
import com.qualys.lambdascanner.common.priming.PrimingHttpClient;
import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one HTTP client a function's SDK clients share, built once per container. The URL connection client
 * starts fastest (no thread pools, no native code) and is the only one on the class path: the Apache and
 * Netty clients are excluded in the root POM. Region and endpoint ({@code AWS_ENDPOINT_URL}) are left to the SDK's
 * standard providers; credentials to the default chain (which SnapStart needs), one instance for all clients.
 * Both the HTTP client and the credentials have a priming path (see {@link Priming}) for SnapStart's
 * {@code beforeCheckpoint} hook; it is off unless a hook runs.
 */
@Module
public interface HttpClientModule {

  @Provides
  @Singleton
  static Priming priming() {
    return new Priming();
  }

  @Provides
  @Singleton
  static SdkHttpClient httpClient(Priming priming) {
    return new PrimingHttpClient(UrlConnectionHttpClient.create(), priming);
  }

  @Provides
  @Singleton
  static AwsCredentialsProvider credentials(Priming priming) {
    return new PrimingCredentials(DefaultCredentialsProvider.builder().build(), priming);
  }
}
