package com.qualys.lambdascanner.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.priming.PrimingHook;
import java.io.InputStream;
import java.io.OutputStream;

/** Fetch Credentials: {@code {"scanId", "target"}} in, {@code CredentialRefs} out. */
public final class FetchCredentialsHandler implements RequestStreamHandler {

  private final FetchCredentials service;
  private final JsonCodec json;
  /** SnapStart's beforeCheckpoint hook (held here: the runtime's context holds it weakly); null in tests. */
  @SuppressWarnings("unused")
  private PrimingHook primingHook;

  /** Lambda's constructor: the object graph, JSON codec included, is built once per container. */
  public FetchCredentialsHandler() {
    this(DaggerFetchCredentialsComponent.create());
  }

  private FetchCredentialsHandler(FetchCredentialsComponent component) {
    this(component.fetchCredentials(), component.json());
    this.primingHook = PrimingHook.register(component.priming(), component.log(),
        () -> FetchCredentialsPriming.steps(this, component));
  }

  FetchCredentialsHandler(FetchCredentials service) {
    this(service, new JsonCodec());
  }

  FetchCredentialsHandler(FetchCredentials service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, FetchCredentialsRequest.class, service::fetch);
  }
}
