package com.qualys.lambdascanner.resolve;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.priming.PrimingHook;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point: {@code com.qualys.lambdascanner.resolve.ResolveTargetHandler::handleRequest}. Reads the
 * input as a JSON tree (the execution input is a foreign document: CloudTrail's or a user's), hands it to
 * {@link ResolveTarget}, writes the {@code ResolvedScan}. Errors propagate: their class names are what the
 * state machine matches.
 */
public final class ResolveTargetHandler implements RequestStreamHandler {

  private final ResolveTarget service;
  private final JsonCodec json;
  /** SnapStart's beforeCheckpoint hook (held here: the runtime's context holds it weakly); null in tests. */
  @SuppressWarnings("unused")
  private PrimingHook primingHook;

  public ResolveTargetHandler() {
    this(DaggerResolveTargetComponent.create());
  }

  private ResolveTargetHandler(ResolveTargetComponent component) {
    this(component.resolveTarget(), component.json());
    this.primingHook = PrimingHook.register(component.priming(), component.log(),
        () -> ResolveTargetPriming.steps(this, component));
  }

  ResolveTargetHandler(ResolveTarget service) {
    this(service, new JsonCodec());
  }

  ResolveTargetHandler(ResolveTarget service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, JsonNode.class, service::resolve);
  }
}
