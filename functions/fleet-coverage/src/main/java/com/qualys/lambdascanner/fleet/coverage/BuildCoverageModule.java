package com.qualys.lambdascanner.fleet.coverage;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/** Build Coverage's graph: configuration from the environment, clients on the shared HTTP client. */
@Module
interface BuildCoverageModule {

  @Provides
  @Singleton
  static CoverageConfig config() {
    return CoverageConfig.from(Env.system());
  }

  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http) {
    return S3Client.builder().httpClient(http).build();
  }

  @Provides
  @Singleton
  static SnsClient sns(SdkHttpClient http) {
    return SnsClient.builder().httpClient(http).build();
  }

  @Provides
  @Singleton
  static FleetObjects objects(S3Client s3, CoverageConfig config, JsonCodec json) {
    return new FleetObjects(s3, config.resultsBucket(), json);
  }

  @Provides
  @Singleton
  static CoverageMetrics metrics(JsonCodec json) {
    return new CoverageMetrics(json, System.out::println);
  }
}
