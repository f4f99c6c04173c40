package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests AWS services make as themselves, which only the resource's policy can allow ({@link
 * Authorization#serviceRequest}): Lambda assuming a function's execution role (here, at registration and at each
 * runtime's start), and, asked by moto's patches (moto-patches/service_principals.py) through {@link #PATH}, Step
 * Functions assuming a state machine's role at CreateStateMachine and CloudWatch publishing an alarm to its topic.
 */
final class ServiceRequests {

  /** Where moto's patches ask: a path no AWS API of the emulator uses. */
  static final String PATH = "/_local/service-request";
  /** Lambda's answer to CreateFunction (and here to an invoke) when the role's trust refuses it. */
  static final String ROLE_REFUSED = "The role defined for the function cannot be assumed by Lambda.";

  private final Authorization authorization;

  ServiceRequests(Authorization authorization) {
    this.authorization = authorization;
  }

  /**
   * Null when {@code lambda.amazonaws.com} may assume the function's execution role (or the function names none),
   * else Lambda's refusal with the decision. The keys Lambda's request carries: the function's account and ARN.
   */
  String lambdaRefusal(LambdaFunction function) {
    if (function.role() == null) {
      return null;
    }
    Authorization.Decision decision = authorization.serviceRequest("lambda.amazonaws.com", "sts:AssumeRole",
        function.role(), Map.of("aws:SourceAccount", function.accountId(), "aws:SourceArn", function.arn()));
    return decision.allowed() ? null : ROLE_REFUSED + " (" + function.role() + ": " + why(decision) + ")";
  }

  /**
   * Answers one question of moto's patches: form fields {@code principal}, {@code action}, {@code resource} and
   * {@code context.<key>}; the answer {@code {"allowed": true|false, "message": "..."}}. Without enforcement
   * ({@code services} null, {@code AUTHZ=off}) every request is allowed, as moto alone would.
   */
  static void serve(HttpExchange exchange, ServiceRequests services) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> form = AwsRequest.form(new String(body, StandardCharsets.UTF_8));
    String answer;
    int status = 200;
    if (form.get("principal") == null || form.get("action") == null || form.get("resource") == null) {
      status = 400;
      answer = "{\"allowed\":false,\"message\":\"principal, action and resource are required\"}";
    } else if (services == null) {
      answer = "{\"allowed\":true,\"message\":\"not enforced\"}";
    } else {
      Map<String, String> context = new LinkedHashMap<>();
      form.forEach((key, value) -> {
        if (key.startsWith("context.")) {
          context.put(key.substring("context.".length()), value);
        }
      });
      Authorization.Decision decision;
      try {
        decision = services.authorization.serviceRequest(form.get("principal"), form.get("action"),
            form.get("resource"), context);
      } catch (IllegalArgumentException e) {
        status = 400;
        decision = null;
      }
      answer = decision == null
          ? "{\"allowed\":false,\"message\":" + Json.quote("not a service principal: " + form.get("principal")) + "}"
          : "{\"allowed\":" + decision.allowed() + ",\"message\":" + Json.quote(why(decision)) + "}";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The statements that decided it, as the emulator's log names them. */
  private static String why(Authorization.Decision decision) {
    if (decision.allowed()) {
      return "allowed by " + String.join(", ", decision.allowedBy());
    }
    String request = decision.principal() + " " + decision.action() + " on " + decision.resource();
    return (decision.deniedBy().isEmpty()
        ? "no statement of the resource's policy allows " + request
        : request + " denied by " + String.join(", ", decision.deniedBy()))
        + (decision.error() == null ? "" : " (" + decision.error() + ")");
  }
}
