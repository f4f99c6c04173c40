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
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeRole;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

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
        env.flag("SECURITY_HUB_EXPORT", false),
        StoreResultsConfig.ownFunctionNames(
            env.optional("SCANNER_FUNCTION_NAMES", ""), env.optional("AWS_LAMBDA_FUNCTION_NAME", "")));
  }

  /**
   * Off: nothing is built. On: the function's one HTTP client, Security Hub's endpoint as the SDK's clients would
   * find it, and credentials for the target's own account: this function's for its own account and region, the
   * spoke role's (hub mode, {@code SPOKE_ROLE_NAME}) for any other, as the functions that read targets decide.
   */
  @Provides
  @Singleton
  SecurityHubExport securityHub(StoreResultsConfig config, SdkHttpClient http, AwsCredentialsProvider own,
      Lazy<StsClient> sts, OwnAccount ownAccount, FindingsContext findings, JsonCodec json, StructuredLog log) {
    if (!config.securityHubExport()) {
      return SecurityHubExport.disabled(log);
    }
    SecurityHubClient client = new SecurityHubClient(http,
        SecurityHubClient.endpoints(env.optional("AWS_ENDPOINT_URL_SECURITYHUB", null), env.optional("AWS_ENDPOINT_URL", null)),
        json);
    SpokeAccess spokes = new SpokeAccess(
        SpokeSettings.from(env), sts.get().serviceClientConfiguration().region().id(), sts.get(), ownAccount);
    SecurityHubExport.CredentialsSource credentials = (target, scanId) -> {
      SpokeRole role = spokes.roleFor(target.partition(), target.accountId(), target.region(), target.functionArn());
      if (role == null) {
        return own.resolveCredentials();
      }
      // Narrowed to the one call, on that account's own product: the spoke role can also read functions.
      String sessionPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"securityhub:BatchImportFindings\",\"Resource\":\""
          + AsffFindings.productArn(target.partition(), target.region(), target.accountId()) + "\"}]}";
      Credentials assumed = spokes.assume(role, scanId, SpokeAccess.MIN_SESSION, sessionPolicy);
      return AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken());
    };
    return new SecurityHubExport(true, client, credentials, findings, log, Thread::sleep);
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
  static OwnAccount ownAccount(Lazy<StsClient> sts) {
    return new OwnAccount(() -> sts.get().getCallerIdentity(b -> {}).account());
  }

  /** Built only when the own account is asked or a spoke role assumed. */
  @Provides
  @Singleton
  static StsClient sts(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return StsClient.builder().httpClient(http).credentialsProvider(credentials).build();
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
