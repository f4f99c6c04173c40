package com.qualys.lambdascanner.scan;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.InputStream;
import java.io.OutputStream;

/** Step 3, Run QScanner: {@code {"scanId", "target", "credentials"}} in, {@code ScanResult} out. */
public final class RunQScannerHandler implements RequestStreamHandler {

  /** Without a context (a local call) the scan gets Lambda's maximum, 15 minutes. */
  private static final long NO_CONTEXT_MILLIS = 15 * 60 * 1000L;

  private final RunQScanner service;
  private final JsonCodec json;

  public RunQScannerHandler() {
    RunQScannerComponent component = DaggerRunQScannerComponent.create();
    this.service = component.runQScanner();
    this.json = component.json();
  }

  RunQScannerHandler(RunQScanner service, JsonCodec json) {
    this.service = service;
    this.json = json;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    long remaining = context == null ? NO_CONTEXT_MILLIS : context.getRemainingTimeInMillis();
    json.handle(input, output, ScanRequest.class, request -> service.scan(request, remaining));
  }
}
