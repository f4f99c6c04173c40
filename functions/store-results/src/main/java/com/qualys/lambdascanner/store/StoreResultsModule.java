package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Configuration and clients. The environment is a constructor argument so a test can wire the real graph with
 * its own values; Lambda uses the no-arg constructor (the process environment).
 */
@Module
public final class StoreResultsModule {

  private final Env env;

  public StoreResultsModule() {
    this(Env.system());
  }

  public StoreResultsModule(Env env) {
    this.env = env;
  }

  @Provides
  @Singleton
  StoreResultsConfig config() {
    return new StoreResultsConfig(env.required("RESULTS_BUCKET"));
  }

  /** Region, credentials and endpoint from the SDK's default providers (SnapStart and AWS_ENDPOINT_URL). */
  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http) {
    return S3Client.builder().httpClient(http).build();
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  static ResultRecordBuilder recordBuilder() {
    return new ResultRecordBuilder();
  }

  /** Lambda sends stdout to CloudWatch Logs, which turns embedded-metric-format lines into metrics. */
  @Provides
  @Singleton
  static ScanMetrics metrics(JsonCodec json) {
    return new ScanMetrics(json, System.out::println);
  }
}
