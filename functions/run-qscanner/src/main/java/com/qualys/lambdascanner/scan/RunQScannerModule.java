package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.config.Env;
import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Run QScanner's configuration and clients, built once per container. */
@Module
public interface RunQScannerModule {

  @Provides
  @Singleton
  static Config config() {
    return Config.from(Env.system());
  }

  @Provides
  @Singleton
  static SecretsManagerClient secretsManager(SdkHttpClient http) {
    return SecretsManagerClient.builder().httpClient(http).build();
  }

  @Provides
  @Singleton
  static S3Client s3(SdkHttpClient http) {
    return S3Client.builder().httpClient(http).build();
  }

  /** Image functions' pull token, asked for with the scanner's credentials; the endpoint is the SDK's choice. */
  @Provides
  @Singleton
  static RegistryLogin registryLogin(SdkHttpClient http) {
    return new EcrRegistryLogin(http, null);
  }

  /** This function's own role for now; the cross-account build swaps in an assume-role implementation here. */
  @Provides
  @Singleton
  static ScannerCredentials scannerCredentials() {
    return new OwnRoleCredentials(DefaultCredentialsProvider.builder().build());
  }
}
