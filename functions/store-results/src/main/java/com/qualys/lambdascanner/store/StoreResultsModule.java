package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

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
    return new StoreResultsConfig(
        env.required("RESULTS_BUCKET"),
        env.flag("TAG_SCANNED_FUNCTIONS", false),
        env.optional("SUPPRESSION_LIST_KEY", StoreResultsConfig.DEFAULT_SUPPRESSION_LIST_KEY),
        env.flag("QUARANTINE_ON_DENY", false),
        StoreResultsConfig.ownFunctionNames(
            env.optional("SCANNER_FUNCTION_NAMES", ""), env.optional("AWS_LAMBDA_FUNCTION_NAME", "")));
  }

  /**
   * Off: no Lambda or STS client is built. On: TagResource in the function's own region (the SDK's default, from
   * {@code AWS_REGION}); the own account from STS GetCallerIdentity (needs no permission, answers for the
   * credentials really held, in AWS and the emulator alike), asked on the first record to tag.
   */
  @Provides
  @Singleton
  static FunctionTagger tagger(StoreResultsConfig config, Lazy<LambdaClient> lambda, OwnAccount own, StructuredLog log) {
    if (!config.tagScannedFunctions()) {
      return FunctionTagger.disabled(log);
    }
    return new FunctionTagger(true, lambda.get(), lambda.get().serviceClientConfiguration().region().id(), own, log);
  }

  /** Off: no Lambda client is built for it. On: the same client and account lookup as the tagger. */
  @Provides
  @Singleton
  static Quarantine quarantine(StoreResultsConfig config, Lazy<LambdaClient> lambda, OwnAccount own, StructuredLog log) {
    if (!config.quarantineOnDeny()) {
      return Quarantine.disabled(log);
    }
    return new Quarantine(true, lambda::get, lambda.get().serviceClientConfiguration().region().id(), own,
        config.ownFunctionNames(), log);
  }

  /** Built only when tagging or quarantine needs it. */
  @Provides
  @Singleton
  static LambdaClient lambda(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return LambdaClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  /** This function's account, asked of STS (no permission needed) once, when first needed. */
  @Provides
  @Singleton
  static OwnAccount ownAccount(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return new OwnAccount(() -> {
      try (StsClient sts = StsClient.builder().httpClient(http).credentialsProvider(credentials).build()) {
        return sts.getCallerIdentity(b -> {}).account();
      }
    });
  }

  /** Region, credentials and endpoint from the SDK's default providers (SnapStart and AWS_ENDPOINT_URL). */
  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return S3Client.builder().httpClient(http).credentialsProvider(credentials).build();
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
