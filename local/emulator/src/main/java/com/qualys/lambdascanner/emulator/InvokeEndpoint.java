package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;

/**
 * Lambda's Invoke API over HTTP for {@link LocalLambda}: enforcement first, then the invocation type (synchronous,
 * {@code Event} on a thread of its own, {@code DryRun}) and the answer's headers as Lambda sets them.
 */
final class InvokeEndpoint {

  private InvokeEndpoint() {}

  /** {@code invoker}: runs the function (by name) with the payload, as {@link LocalLambda#invoke(String, byte[])}. */
  static void serve(HttpExchange exchange, String function, Enforcement enforcing, ExecutorService threads,
      BiFunction<String, byte[], InvokeResult> invoker) throws IOException {
    byte[] payload;
    try (InputStream in = exchange.getRequestBody()) {
      payload = in.readAllBytes();
    }
    if (enforcing != null && enforcing.admit(exchange, "lambda", payload) == null) {
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null && query.contains("Qualifier=")) {
      // A qualifier names a version or alias of the same code: all run the one registered package.
      function = function.replaceFirst(":[A-Za-z0-9$_-]+$", "");
    }
    String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    if ("DryRun".equals(type)) {
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    if ("Event".equals(type)) {
      String target = function;
      threads.submit(() -> invoker.apply(target, payload));
      headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(202, -1);
      return;
    }
    InvokeResult result = invoker.apply(function, payload);
    headers.set("x-amzn-RequestId", result.requestId());
    if (result.statusCode() == 200) {
      headers.set("X-Amz-Executed-Version", "$LATEST");
    }
    if (result.functionError() != null) {
      headers.set("X-Amz-Function-Error", result.functionError());
    }
    if (result.errorCode() != null) {
      headers.set("x-amzn-ErrorType", result.errorCode());
    }
    exchange.sendResponseHeaders(result.statusCode(), result.payload().length == 0 ? -1 : result.payload().length);
    exchange.getResponseBody().write(result.payload());
  }
}
