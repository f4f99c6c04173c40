package com.qualys.lambdascanner.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import java.io.InputStream;
import java.io.OutputStream;

/** Notify: {@code RecordRequest} in, {@code NotificationResult} out. */
public final class NotifyHandler implements RequestStreamHandler {

  private final Notify service;
  private final JsonCodec json;

  /** Lambda's constructor: the object graph, JSON codec included, is built once per container. */
  public NotifyHandler() {
    this(DaggerNotifyComponent.create());
  }

  private NotifyHandler(NotifyComponent component) {
    this(component.notifier(), component.json());
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
    json.write(output, service.notify(json.read(input, RecordRequest.class)));
  }
}
