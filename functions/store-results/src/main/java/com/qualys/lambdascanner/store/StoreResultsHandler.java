package com.qualys.lambdascanner.store;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingHook;
import java.io.InputStream;
import java.io.OutputStream;

/** Store Results: {@code RecordRequest} in, {@code StoredRecord} out. */
public final class StoreResultsHandler implements RequestStreamHandler {

  private final StoreResults service;
  private final JsonCodec json;
  /** SnapStart's beforeCheckpoint hook (held here: the runtime's context holds it weakly); null in tests. */
  @SuppressWarnings("unused")
  private PrimingHook primingHook;

  /** Lambda's constructor: the object graph, JSON codec included, is built once per container. */
  public StoreResultsHandler() {
    this(DaggerStoreResultsComponent.create());
  }

  private StoreResultsHandler(StoreResultsComponent component) {
    this(component.storeResults(), component.json());
    this.primingHook = PrimingHook.register(component.priming(), component.log(),
        () -> StoreResultsPriming.steps(this, component));
  }

  StoreResultsHandler(StoreResults service) {
    this(service, new JsonCodec());
  }

  StoreResultsHandler(StoreResults service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, RecordRequest.class, service::store);
  }
}
