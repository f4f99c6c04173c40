package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeAccessModule;
import dagger.Module;
import dagger.Provides;
import java.util.List;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Run QScanner's configuration and clients, built once per container, all on the one HTTP client and the one
 * default credentials chain of {@code common.aws.HttpClientModule}.
 */
@Module(includes = SpokeAccessModule.class)
public interface RunQScannerModule {

  @Provides
  @Singleton
  static Config config() {
    return Config.from(Env.system());
  }

  @Provides
  @Singleton
  static SecretsManagerClient secretsManager(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return SecretsManagerClient.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return S3Client.builder().httpClient(http).credentialsProvider(credentials).build();
  }

  /**
   * Image functions' pull token, asked for with the scanner's credentials. On AWS the endpoint is the SDK's choice;
   * where {@code AWS_ENDPOINT_URL_ECR} or {@code AWS_ENDPOINT_URL} points this function elsewhere (the emulator), the
   * token comes from there and the scanner is told to pull there.
   */
  @Provides
  @Singleton
  static RegistryLogin registryLogin(SdkHttpClient http) {
    String endpoint = System.getenv().getOrDefault("AWS_ENDPOINT_URL_ECR", System.getenv("AWS_ENDPOINT_URL"));
    return new EcrRegistryLogin(http, endpoint == null || endpoint.isBlank() ? null : java.net.URI.create(endpoint));
  }

  /** The target's code before and after the scan, read with the scanner's credentials for it. */
  @Provides
  @Singleton
  static CodeChangeCheck codeChangeCheck(SdkHttpClient http) {
    return new CodeChangeCheck(new LambdaTargetCode(http, null));
  }

  /**
   * The stack's scan role for targets in this account and region, or in hub mode the spoke role of the target's
   * account (TargetCredentials decides and refuses any other role ARN); either way narrowed to the one target by a
   * session policy (ScanSessionPolicy). qscanner never gets this function's own role.
   */
  @Provides
  @Singleton
  static ScannerCredentials scannerCredentials(Config config, StsClient sts) {
    // STS (spoke-access's module) is in this function's own region, the SDK's default: AWS_REGION in Lambda.
    SpokeAccess spokes = new SpokeAccess(config.spoke(), sts.serviceClientConfiguration().region().id(), sts);
    Env env = Env.system();
    List<String> codeKeys = ScanSessionPolicy.codeKeys(env.optional("CODE_KMS_KEY_ARNS", ""));
    return new TargetCredentials(spokes, new ScanRoleCredentials(sts, env.optional("SCAN_ROLE_ARN", null), codeKeys),
        new AssumedRoleCredentials(spokes, codeKeys));
  }
}
