package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS services refusing the requests that pass through {@link LocalLambda} (the functions' own calls): injected
 * outages, answered with each service's own error document, rate quotas, and STS refusing to let a role be assumed.
 */
final class ServiceFaults {

  /**
   * A service refusing requests: {@code remaining} more of those whose path contains {@code pathContains} and whose
   * body contains {@code bodyContains} (empty: any).
   */
  private record ServiceFault(String service, String pathContains, String bodyContains, String errorCode,
      AtomicInteger remaining) {}

  private final List<ServiceFault> faults = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
  private final Set<String> deniedRoles = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> assumeRoleCalls = new ConcurrentHashMap<>();
  /** By {@code <service> <region>}: the region of the request's credential scope. */
  private final Map<String, ServiceRateLimit> rateLimits = new ConcurrentHashMap<>();
  private final Map<String, int[]> rateLimitParameters = new ConcurrentHashMap<>();

  /** {@code errorCode} null: the service's usual outage error (S3 {@code SlowDown}, else {@code InternalError}). */
  void add(String service, String pathContains, String bodyContains, int times, String errorCode) {
    faults.add(new ServiceFault(service, pathContains, bodyContains,
        errorCode == null ? defaultErrorCode(service) : errorCode, new AtomicInteger(times)));
  }

  void clear() {
    faults.clear();
    rateLimits.clear();
    rateLimitParameters.clear();
  }

  /** Requests to the service beyond {@code perSecond} a second (bursts of {@code burst}), per region, are throttled. */
  void rateLimit(String service, int perSecond, int burst) {
    rateLimitParameters.put(service, new int[] {perSecond, burst});
  }

  int injected(String service) {
    AtomicInteger count = injected.get(service);
    return count == null ? 0 : count.get();
  }

  void denyAssumeRole(String roleArn) {
    deniedRoles.add(roleArn);
  }

  int assumeRoleCalls(String roleArn) {
    AtomicInteger count = assumeRoleCalls.get(roleArn);
    return count == null ? 0 : count.get();
  }

  /** Answers the request with an injected error, if one applies; true when it did. */
  boolean refused(HttpExchange exchange, String service, String region, byte[] body) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    int[] quota = rateLimitParameters.get(service);
    if (quota != null && !rateLimits.computeIfAbsent(service + " " + region,
        k -> new ServiceRateLimit(quota[0], quota[1])).admit()) {
      injected.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
      throttle(exchange, service);
      return true;
    }
    if (service.equals("sts")) {
      Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
      String roleArn = form.get("RoleArn");
      if ("AssumeRole".equals(form.get("Action")) && roleArn != null) {
        assumeRoleCalls.computeIfAbsent(roleArn, r -> new AtomicInteger()).incrementAndGet();
        if (deniedRoles.contains(roleArn)) {
          injected.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
          respondXml(exchange, 403, queryError("sts", "Sender", "AccessDenied",
              "User: arn:aws:sts::123456789012:assumed-role/local/caller is not authorized to perform: "
                  + "sts:AssumeRole on resource: " + roleArn));
          return true;
        }
      }
    }
    for (ServiceFault fault : faults) {
      if (fault.service().equals(service) && path.contains(fault.pathContains())
          && (fault.bodyContains().isEmpty()
              || new String(body, StandardCharsets.UTF_8).contains(fault.bodyContains()))
          && fault.remaining().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
        injected.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
        int status = serviceStatusOf(fault.errorCode());
        String message = "injected by LocalLambda.failService";
        respondXml(exchange, status, service.equals("s3")
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + fault.errorCode() + "</Code><Message>"
                + (fault.errorCode().equals("SlowDown") ? "Please reduce your request rate." : message)
                + "</Message><RequestId>" + requestId() + "</RequestId><HostId>local</HostId></Error>"
            : queryError(service, status >= 500 ? "Receiver" : "Sender", fault.errorCode(), message));
        return true;
      }
    }
    return false;
  }

  /**
   * A throttled request, answered as the service answers one: Security Hub (REST-JSON) with 429
   * {@code LimitExceededException} (its API reference: the request exceeded throttling limits), S3 with 503
   * {@code SlowDown}, the query-protocol services with 400 {@code Throttling}.
   */
  private static void throttle(HttpExchange exchange, String service) throws IOException {
    if (service.equals("securityhub")) {
      byte[] bytes = "{\"Code\":\"LimitExceededException\",\"Message\":\"Rate exceeded\"}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "LimitExceededException");
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId());
      exchange.sendResponseHeaders(429, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    boolean s3 = service.equals("s3");
    respondXml(exchange, s3 ? 503 : 400, s3
        ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request"
            + " rate.</Message><RequestId>" + requestId() + "</RequestId><HostId>local</HostId></Error>"
        : queryError(service, "Sender", "Throttling", "Rate exceeded"));
  }

  /** The query protocol's error document (SNS, STS, IAM, ...). */
  private static String queryError(String service, String type, String code, String message) {
    String namespace = switch (service) {
      case "sts" -> "https://sts.amazonaws.com/doc/2011-06-15/";
      case "sns" -> "http://sns.amazonaws.com/doc/2010-03-31/";
      default -> "https://" + service + ".amazonaws.com/doc/";
    };
    return "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + type + "</Type><Code>" + code
        + "</Code><Message>" + message + "</Message></Error><RequestId>" + requestId() + "</RequestId></ErrorResponse>";
  }

  private static String requestId() {
    return UUID.randomUUID().toString();
  }

  private static void respondXml(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId());
    exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
    if (!exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private static String defaultErrorCode(String service) {
    return service.equals("s3") ? "SlowDown" : "InternalError";
  }

  private static int serviceStatusOf(String errorCode) {
    return switch (errorCode) {
      case "SlowDown", "ServiceUnavailable", "Unavailable" -> 503;
      case "Throttling", "ThrottlingException", "RequestLimitExceeded" -> 400;
      case "AccessDenied", "AccessDeniedException" -> 403;
      default -> 500;
    };
  }
}
