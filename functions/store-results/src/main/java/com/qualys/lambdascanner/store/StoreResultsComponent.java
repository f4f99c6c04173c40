package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.priming.Priming;
import dagger.Component;
import javax.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

@Singleton
@Component(modules = {StoreResultsModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface StoreResultsComponent {
  StoreResults storeResults();

  JsonCodec json();

  /** For priming: the S3 calls the handler's priming pass does not reach. */
  S3Client s3();

  Priming priming();

  StructuredLog log();
}
