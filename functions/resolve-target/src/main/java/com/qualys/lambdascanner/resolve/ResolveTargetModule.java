package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.spoke.SpokeAccessModule;
import com.qualys.lambdascanner.resolve.exposure.AwsExposureReader;
import com.qualys.lambdascanner.resolve.exposure.ExposureReader;
import com.qualys.lambdascanner.resolve.exposure.IamClients;
import com.qualys.lambdascanner.resolve.exposure.RuntimeDeprecations;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Resolve Target's graph: configuration from the environment, and SDK clients on the shared HTTP client with
 * the SDK's default region, credentials chain and endpoint settings ({@code AWS_ENDPOINT_URL}). STS (the own
 * identity and, in hub mode, the spoke roles) comes from spoke-access's module.
 */
@Module(includes = SpokeAccessModule.class)
interface ResolveTargetModule {

  @Provides
  @Singleton
  static Config config() {
    return Config.from(Env.system());
  }

  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return S3Client.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  @Provides
  @Singleton
  static LambdaClients lambdaClients(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return new LambdaClients(region -> LambdaClient.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .region(Region.of(region))
        .build());
  }

  @Provides
  @Singleton
  static TargetAccess targetAccess(Config config, StsClient sts) {
    return new TargetAccess(config, sts);
  }

  @Provides
  @Singleton
  static FunctionDescriber functionDescriber(LambdaClients clients, TargetAccess access) {
    return new LambdaFunctionDescriber(clients, access);
  }

  @Provides
  @Singleton
  static ExposureReader exposureReader(
      LambdaClients lambdas, SdkHttpClient http, AwsCredentialsProvider credentials, TargetAccess access,
      Clock clock) {
    IamClients iams = new IamClients(region -> IamClient.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .region(region)
        .build());
    return new AwsExposureReader(lambdas, iams, access, RuntimeDeprecations.published(), clock);
  }

  @Provides
  @Singleton
  static ClaimStore claimStore(S3Client s3, Config config, Clock clock, JsonCodec json) {
    return new S3ClaimStore(s3, config.resultsBucket(), config.dedupTtl(), config.rescanAfter(), clock, json);
  }
}
