package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of {@link LocalLambda}'s two listeners a request came through. The main one stands for AWS's HTTPS endpoints
 * ({@code aws:SecureTransport} true); the plain one for the {@code http://} endpoints AWS still answers on, so a
 * policy's {@code Bool aws:SecureTransport false} Deny (the stack's TlsOnly statements) meets the requests it is for.
 */
enum Transport {
  SECURE,
  PLAIN;

  private static final String ATTRIBUTE = Transport.class.getName();

  /** Marks a request as having come through the plain listener. */
  static void markPlain(HttpExchange exchange) {
    exchange.setAttribute(ATTRIBUTE, PLAIN);
  }

  static Transport of(HttpExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE) == PLAIN ? PLAIN : SECURE;
  }

  /** The checks with the transport's {@code aws:SecureTransport}, as IAM sees it for every check of the request. */
  List<AwsRequest.Check> applyTo(List<AwsRequest.Check> checks) {
    return checks.stream().map(check -> {
      Map<String, Object> context = new LinkedHashMap<>(check.context());
      context.put("aws:SecureTransport", this == SECURE ? "true" : "false");
      return new AwsRequest.Check(check.action(), check.resource(), check.resourceAccount(), context);
    }).toList();
  }
}
