package com.qualys.lambdascanner.fleet.enumerate;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeAccessModule;
import dagger.Module;
import dagger.Provides;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Enumerate Functions' graph: configuration from the environment, clients on the shared HTTP client. */
@Module(includes = SpokeAccessModule.class)
interface EnumerateFleetModule {

  @Provides
  @Singleton
  static FleetConfig config() {
    return FleetConfig.from(Env.system());
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
  static SpokeAccess spokeAccess(FleetConfig config, StsClient sts) {
    return new SpokeAccess(config.spoke(), config.ownRegion(), sts);
  }

  /** Built always, called only with FLEET_ACCOUNTS_FROM_ORGANIZATION (its role has the grant only then). */
  @Provides
  @Singleton
  static OrganizationAccounts organization(FleetConfig config, SdkHttpClient http, JsonCodec json) {
    Map.Entry<URI, String> endpoint = OrganizationAccounts.endpointFor(config.ownRegion(), System.getenv());
    return new OrganizationAccounts(http, DefaultCredentialsProvider.builder().build(), endpoint.getKey(),
        endpoint.getValue(), json);
  }

  @Provides
  @Singleton
  static FunctionLister lister(SpokeAccess spokes, SdkHttpClient http) {
    return new LambdaFunctionLister(spokes, http);
  }
}
