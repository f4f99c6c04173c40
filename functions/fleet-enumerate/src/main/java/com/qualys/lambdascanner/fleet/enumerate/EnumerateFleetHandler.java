package com.qualys.lambdascanner.fleet.enumerate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point: {@code com.qualys.lambdascanner.fleet.enumerate.EnumerateFleetHandler::handleRequest}.
 * {@code {"runId": ...}} in, the {@code InventoryRef} out; errors propagate (the state machine matches their names).
 */
public final class EnumerateFleetHandler implements RequestStreamHandler {

  private final EnumerateFleet service;
  private final JsonCodec json;

  public EnumerateFleetHandler() {
    this(DaggerEnumerateFleetComponent.create());
  }

  private EnumerateFleetHandler(EnumerateFleetComponent component) {
    this(component.enumerateFleet(), component.json());
  }

  EnumerateFleetHandler(EnumerateFleet service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, JsonNode.class, service::enumerate);
  }
}
