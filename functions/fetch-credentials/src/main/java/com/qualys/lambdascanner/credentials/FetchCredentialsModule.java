package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.spoke.SpokeAccessModule;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Configuration and clients (STS, for the spoke role check, comes from spoke-access's module). The environment is
 * a constructor argument so a test can wire the real graph with its own values; Lambda uses the no-arg constructor
 * (the process environment).
 */
@Module(includes = SpokeAccessModule.class)
public final class FetchCredentialsModule {

  private final Env env;

  public FetchCredentialsModule() {
    this(Env.system());
  }

  public FetchCredentialsModule(Env env) {
    this.env = env;
  }

  @Provides
  @Singleton
  FetchCredentialsConfig config() {
    return FetchCredentialsConfig.from(env);
  }

  /** Region, credentials and endpoint from the SDK's default providers (SnapStart and AWS_ENDPOINT_URL). */
  @Provides
  @Singleton
  static SecretsManagerClient secretsManager(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return SecretsManagerClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
