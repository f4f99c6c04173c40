package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything {@link LocalLambda} does not serve itself goes on to moto unchanged, through here: the functions' own
 * AWS calls (their {@code AWS_ENDPOINT_URL} is LocalLambda) and moto's interpreter's non-Invoke calls. On the way,
 * {@link ServiceFaults} may refuse a request, {@link Enforcement} refuses what IAM would, and the credentials STS
 * hands out are noted for the leak checks.
 */
final class Forwarder {

  private static final Set<String> HOP_BY_HOP = Set.of(
      "host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive", "date");
  /** Signature V4's credential scope: {@code Credential=<key id>/<date>/<region>/<service>/aws4_request}. */
  private static final Pattern CREDENTIAL_SCOPE =
      Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[a-z0-9-]+/([a-z0-9-]+)/aws4_request");
  private static final Pattern CREDENTIAL_REGION =
      Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([a-z0-9-]+)/[a-z0-9-]+/aws4_request");
  private static final Pattern STS_SECRET =
      Pattern.compile("<(SecretAccessKey|SessionToken)>([^<]+)</(?:SecretAccessKey|SessionToken)>");

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private final ServiceFaults serviceFaults;
  private final EcrRegistry registry;
  private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();
  private volatile Enforcement enforcement;

  Forwarder(ServiceFaults serviceFaults, EcrRegistry registry) {
    this.serviceFaults = serviceFaults;
    this.registry = registry;
  }

  void enforce(Enforcement enforcement) {
    this.enforcement = enforcement;
  }

  Set<String> issuedSecrets() {
    return Set.copyOf(issuedSecrets);
  }

  void forward(HttpExchange exchange, URI target) throws IOException {
    if (target == null) {
      byte[] body = "{\"message\":\"LocalLambda has no AWS endpoint to forward to\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(502, body.length);
      exchange.getResponseBody().write(body);
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String service = serviceOf(exchange);
    if (service != null && serviceFaults.refused(exchange, service, regionOf(exchange), body)) {
      return;
    }
    Enforcement enforcing = this.enforcement;
    Enforcement.Admitted admitted = null;
    if (enforcing != null) {
      admitted = enforcing.admit(exchange, service, body);
      if (admitted == null) {
        return;
      }
    }
    URI uri = target.resolve(exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMinutes(5))
        .method(exchange.getRequestMethod(),
            body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    response.headers().map().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    byte[] out = response.body();
    if (admitted != null && admitted.principal() != null
        && (response.statusCode() == 200 || response.statusCode() == 404)) {
      String refusal = enforcing.after(admitted, response.statusCode(), response.headers(), out);
      if (refusal != null) {
        exchange.getResponseHeaders().clear();
        Enforcement.deny(exchange, service, refusal);
        return;
      }
    }
    if (admitted != null && response.statusCode() == 200) {
      enforcing.assumed(admitted, service, out);
    }
    if ("ecr".equals(service) && response.statusCode() == 200) {
      registryToken(exchange, admitted, out);
    }
    if ("sts".equals(service) && response.statusCode() == 200) {
      Matcher secret = STS_SECRET.matcher(new String(out, StandardCharsets.UTF_8));
      while (secret.find()) {
        issuedSecrets.add(secret.group(2));
      }
    }
    boolean noBody = out.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
    if (!noBody) {
      exchange.getResponseBody().write(out);
    }
  }

  /** An ECR pull token handed out: the registry authorises its pulls as the principal that asked (null: harness). */
  private void registryToken(HttpExchange exchange, Enforcement.Admitted admitted, byte[] answer) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null && target.endsWith(".GetAuthorizationToken")) {
      registry.issued(admitted == null ? null : admitted.principal(), answer);
    }
  }

  private static String regionOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher region = authorization == null ? null : CREDENTIAL_REGION.matcher(authorization);
    return region != null && region.find() ? region.group(1) : "";
  }

  private static String serviceOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return null;
    }
    Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
    return scope.find() ? scope.group(1) : null;
  }
}
