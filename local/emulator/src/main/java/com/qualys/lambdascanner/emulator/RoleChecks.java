package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Permissions a service checks on a role it was given, with no request of that role's that the emulator could see:
 * Step Functions, as the state machine's role, sets up log delivery (permission-only {@code logs:} actions) and the
 * {@code .sync} integrations' managed rule when the state machine is created, and starts a Distributed Map's child
 * executions of its own state machine. moto's interpreter (moto-patches/moto_role_checks.py) asks here at those moments
 * and refuses as Step Functions does:
 *
 * <pre>
 * POST /_local/authorize  role=&lt;role ARN&gt;&amp;action=&lt;action&gt;&amp;resource=&lt;ARN or *&gt;&amp;region=&lt;region&gt;
 * 200 {"allowed": true|false, "message": "User: ... is not authorized to perform: ..."}
 * </pre>
 *
 * Without enforcement every check is allowed.
 */
final class RoleChecks {

  static final String PATH = "/_local/authorize";

  private RoleChecks() {}

  static void answer(HttpExchange exchange, Enforcement enforcement) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> form = AwsRequest.form(new String(body, StandardCharsets.UTF_8));
    String role = form.get("role");
    String action = form.get("action");
    String resource = form.get("resource");
    String answer;
    if (role == null || action == null || resource == null) {
      answer = "{\"allowed\":false,\"message\":\"role, action and resource are required\"}";
    } else if (enforcement == null) {
      answer = "{\"allowed\":true,\"message\":\"\"}";
    } else {
      Authorization.Principal principal = Authorization.Principal.assumed(role, "states-execution", null);
      String region = form.getOrDefault("region", "us-east-1");
      Authorization.Decision decision = enforcement.authorization().decide(principal,
          new AwsRequest.Check(action, resource, AwsRequest.accountOf(resource, principal.account()), Map.of()),
          region);
      answer = "{\"allowed\":" + decision.allowed() + ",\"message\":"
          + Json.quote(decision.allowed() ? "" : Enforcement.message(principal, decision)) + "}";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
