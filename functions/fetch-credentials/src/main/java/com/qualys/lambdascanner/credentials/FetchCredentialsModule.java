package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.config.Env;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Configuration and clients. The environment is a constructor argument so a test can wire the real graph with
 * its own values; Lambda uses the no-arg constructor (the process environment).
 */
@Module
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
  static SecretsManagerClient secretsManager(SdkHttpClient http) {
    return SecretsManagerClient.builder().httpClient(http).build();
  }

  /**
   * The function's own credentials, its own region's STS endpoint (the SDK's default is regional): answers
   * GetCallerIdentity, and AssumeRole on spoke roles in hub mode.
   */
  @Provides
  @Singleton
  static StsClient sts(SdkHttpClient http) {
    return StsClient.builder().httpClient(http).build();
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
