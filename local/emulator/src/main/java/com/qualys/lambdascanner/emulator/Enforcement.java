package com.qualys.lambdascanner.emulator;

import com.qualys.lambdascanner.emulator.Authorization.Principal;
import com.qualys.lambdascanner.emulator.Authorization.UnknownPrincipal;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Authorization} applied to the requests passing {@link LocalLambda}: before a request goes on to moto (or to a
 * function, for Invoke) its principal and checks are evaluated, and a refusal is answered as that service answers one
 * (status, error code and body shape), so the functions' error handling runs as on AWS. After moto answered: an STS
 * AssumeRole's new key is remembered as the role it assumed, and an object read back under a KMS key needs the
 * caller's kms:Decrypt through S3.
 */
final class Enforcement {

  /** {@code Credential=<key id>/<date>/<region>/<service>/aws4_request}, in the header or a presigned URL's query. */
  private static final Pattern CREDENTIAL = Pattern.compile(
      "Credential=([^/,\\s&]+)(?:/|%2F)\\d{8}(?:/|%2F)([a-z0-9-]+)(?:/|%2F)([a-z0-9-]+)(?:/|%2F)aws4_request");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");

  private final Authorization authorization;

  Enforcement(Authorization authorization) {
    this.authorization = authorization;
  }

  Authorization authorization() {
    return authorization;
  }

  /** What was decided before the request went on: who makes it (null: the harness) and what it is. */
  record Admitted(Principal principal, AwsRequest request, String region, byte[] body) {}

  /** Evaluates the request; answers a refusal itself and returns null, else returns what {@link #after} needs. */
  Admitted admit(HttpExchange exchange, String service, byte[] body) throws IOException {
    String credential = credentialOf(exchange);
    Matcher scope = credential == null ? null : CREDENTIAL.matcher(credential);
    boolean signed = scope != null && scope.find();
    String region = signed ? scope.group(2) : "us-east-1";
    String what = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    Principal principal;
    try {
      principal = authorization.principalOf(signed ? scope.group(1) : null,
          exchange.getRequestHeaders().getFirst(Authorization.STATE_MACHINE_ROLE_HEADER));
    } catch (UnknownPrincipal e) {
      authorization.refusedUnknown(what, e.getMessage());
      deny(exchange, service, "The security token included in the request is invalid (" + e.getMessage() + ")");
      return null;
    }
    if (principal == null) {
      return new Admitted(null, null, region, body);
    }
    AwsRequest request;
    try {
      String effectiveService = service != null ? service : signed ? scope.group(3) : "unknown";
      request = AwsRequest.parse(new AwsRequest.Raw(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders()::getFirst, body, effectiveService, region, principal.account()));
    } catch (AwsRequest.UnknownRequest e) {
      authorization.refusedUnknown(principal.sessionArn() + " " + what, e.getMessage());
      deny(exchange, service, "User: " + principal.sessionArn() + " is not authorized: the local emulator does not "
          + "map this request to IAM (" + e.getMessage() + ")");
      return null;
    }
    String bucket = request.service().equals("s3") ? bucketOf(exchange) : null;
    for (AwsRequest.Check check : Transport.of(exchange).applyTo(
        authorization.implicitWriteChecks(request, bucket, region))) {
      Authorization.Decision decision = authorization.decide(principal, check, region);
      if (!decision.allowed()) {
        deny(exchange, request.service(), message(principal, decision));
        return null;
      }
    }
    return new Admitted(principal, request, region, body);
  }

  /**
   * After moto answered {@code status}: a refusal that depends on the answer (null: none, the answer stands). An object
   * read under a KMS key needs kms:Decrypt through S3; a read of a missing object is answered 404 only to a caller
   * allowed s3:ListBucket on the bucket, else 403 AccessDenied, as S3 answers it.
   */
  String after(Admitted admitted, int status, HttpHeaders headers, byte[] answer) {
    boolean objectRead = admitted.request() != null && (admitted.request().operation().equals("GetObject")
        || admitted.request().operation().equals("HeadObject"));
    if (objectRead && status == 404) {
      String object = admitted.request().checks().getFirst().resource();
      String bucketArn = object.contains("/") ? object.substring(0, object.indexOf('/')) : object;
      Authorization.Decision decision = authorization.decide(admitted.principal(),
          new AwsRequest.Check("s3:ListBucket", bucketArn, admitted.request().checks().getFirst().resourceAccount(),
              Map.of()), admitted.region());
      return decision.allowed() ? null : message(admitted.principal(), decision);
    }
    if (objectRead && status == 200) {
      String sse = headers.firstValue("x-amz-server-side-encryption").orElse(null);
      String key = headers.firstValue("x-amz-server-side-encryption-aws-kms-key-id").orElse(null);
      if ("aws:kms".equals(sse) && key != null) {
        Authorization.Decision decision = authorization.decide(admitted.principal(),
            authorization.decryptThroughS3(key, admitted.region()), admitted.region());
        if (!decision.allowed()) {
          return message(admitted.principal(), decision);
        }
      }
    }
    return null;
  }

  /** An STS AssumeRole answered 200: the new key acts as the role (the harness's as the harness). */
  void assumed(Admitted admitted, String service, byte[] answer) {
    if (!"sts".equals(service)) {
      return;
    }
    Map<String, String> form = AwsRequest.form(new String(admitted.body(), StandardCharsets.UTF_8));
    Matcher key = ACCESS_KEY_ID.matcher(new String(answer, StandardCharsets.UTF_8));
    if ("AssumeRole".equals(form.get("Action")) && form.get("RoleArn") != null && key.find()) {
      authorization.assumed(admitted.principal(), key.group(1), form.get("RoleArn"),
          form.getOrDefault("RoleSessionName", "session"), form.get("Policy"));
    }
  }

  /** One check for a request this class did not parse itself (the ECR registry's pulls, {@link EcrRegistry}). */
  Authorization.Decision decide(Principal principal, AwsRequest.Check check, String region) {
    return authorization.decide(principal, check, region);
  }

  static String message(Principal principal, Authorization.Decision decision) {
    // AWS's wording: an implicit deny names the kind of policy that allows nothing; an explicit one, the policy.
    String because = decision.deniedBy().isEmpty()
        ? "because no identity-based policy allows the " + decision.action() + " action"
        : decision.deniedBy().stream().allMatch(d -> d.startsWith("session-policy: no statement"))
            ? "because no session policy allows the " + decision.action() + " action"
            : "with an explicit deny in " + String.join(", ", decision.deniedBy());
    return "User: " + principal.sessionArn() + " is not authorized to perform: " + decision.action()
        + " on resource: " + decision.resource() + " " + because;
  }

  private static String credentialOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      return authorization;
    }
    return exchange.getRequestURI().getRawQuery();
  }

  private static String bucketOf(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath().substring(1);
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  /** The service's own AccessDenied: status, error code and body shape as AWS answers them. */
  static void deny(HttpExchange exchange, String service, String message) throws IOException {
    String requestId = UUID.randomUUID().toString();
    String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    int status;
    String contentType;
    String body;
    String errorType = null;
    switch (service == null ? "" : service) {
      case "s3" -> {
        status = 403;
        contentType = "application/xml";
        body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>" + escaped
            + "</Message><RequestId>" + requestId + "</RequestId><HostId>local</HostId></Error>";
      }
      case "sts", "sns", "sqs", "iam" -> {
        status = 403;
        contentType = "text/xml";
        String code = service.equals("sns") ? "AuthorizationError" : "AccessDenied";
        body = "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + escaped
            + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
      }
      case "lambda", "securityhub" -> {
        status = 403;
        contentType = "application/json";
        errorType = "AccessDeniedException";
        body = "{\"Type\":\"User\",\"Message\":" + Json.quote(message) + ",\"message\":" + Json.quote(message) + "}";
      }
      default -> {
        // The JSON protocol (Secrets Manager, Step Functions, EventBridge, Organizations, ECR, KMS): 400.
        status = 400;
        contentType = "application/x-amz-json-1.1";
        errorType = "AccessDeniedException";
        body = "{\"__type\":\"AccessDeniedException\",\"message\":" + Json.quote(message) + "}";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
