package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Configuration and clients. The environment is a constructor argument so a test can wire the real graph with
 * its own values; Lambda uses the no-arg constructor (the process environment).
 */
@Module
public final class NotifyModule {

  private final Env env;

  public NotifyModule() {
    this(Env.system());
  }

  public NotifyModule(Env env) {
    this.env = env;
  }

  @Provides
  @Singleton
  NotifyConfig config() {
    return NotifyConfig.from(env);
  }

  /** Region, credentials and endpoint from the SDK's default providers (SnapStart and AWS_ENDPOINT_URL). */
  @Provides
  @Singleton
  static SnsClient sns(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return SnsClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  @Provides
  @Singleton
  static EventBridgeClient eventBridge(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return EventBridgeClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  static ResultRecordBuilder recordBuilder() {
    return new ResultRecordBuilder();
  }
}
