package com.qualys.lambdascanner.fleet.coverage;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point: {@code com.qualys.lambdascanner.fleet.coverage.BuildCoverageHandler::handleRequest}.
 * {@code {"runId", "executionArn", "results"}} in, where the coverage went and its summary out; errors propagate (the state machine matches their names).
 */
public final class BuildCoverageHandler implements RequestStreamHandler {

  private final BuildCoverage service;
  private final JsonCodec json;

  public BuildCoverageHandler() {
    this(DaggerBuildCoverageComponent.create());
  }

  private BuildCoverageHandler(BuildCoverageComponent component) {
    this(component.buildCoverage(), component.json());
  }

  BuildCoverageHandler(BuildCoverage service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    json.handle(input, output, JsonNode.class, service::build);
  }
}
