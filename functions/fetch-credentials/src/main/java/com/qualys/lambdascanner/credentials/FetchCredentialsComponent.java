package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.priming.Priming;
import dagger.Component;
import javax.inject.Singleton;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@Singleton
@Component(
    modules = {FetchCredentialsModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface FetchCredentialsComponent {
  FetchCredentials fetchCredentials();

  JsonCodec json();

  Priming priming();

  StructuredLog log();

  /** For priming: the Secrets Manager call the handler's priming pass has refused. */
  SecretsManagerClient secretsManager();
}
