package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.priming.Priming;
import dagger.Component;
import javax.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/** Resolve Target's object graph, built once per container by the handler. */
@Singleton
@Component(modules = {ResolveTargetModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface ResolveTargetComponent {

  ResolveTarget resolveTarget();

  JsonCodec json();

  Priming priming();

  ClaimStore claims();

  LambdaClients lambdaClients();

  Config config();

  StructuredLog log();

  /** For priming: S3 GetObject, which a claim that wins at once never reaches. */
  S3Client s3();
}
