package com.qualys.lambdascanner.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingHook;
import java.io.InputStream;
import java.io.OutputStream;

/** Notify: {@code RecordRequest} in, {@code NotificationResult} out. */
public final class NotifyHandler implements RequestStreamHandler {

  private final Notify service;
  private final JsonCodec json;
  /** SnapStart's beforeCheckpoint hook (held here: the runtime's context holds it weakly); null in tests. */
  @SuppressWarnings("unused")
  private PrimingHook primingHook;

  /** Lambda's constructor: the object graph, JSON codec included, is built once per container. */
  public NotifyHandler() {
    this(DaggerNotifyComponent.create());
  }

  private NotifyHandler(NotifyComponent component) {
    this(component.notifier(), component.json());
    this.primingHook = PrimingHook.register(component.priming(), component.log(),
        () -> NotifyPriming.steps(this, component));
  }

  NotifyHandler(Notify service) {
    this(service, new JsonCodec());
  }

  NotifyHandler(Notify service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, RecordRequest.class, service::notify);
  }
}
