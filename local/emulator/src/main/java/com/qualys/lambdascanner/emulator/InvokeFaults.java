package com.qualys.lambdascanner.emulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the Lambda service answers instead of running a function: injected errors (a 5xx, a throttle, a SnapStart
 * version that is not ready, a function that timed out) and the reserved-concurrency cap. Each answer has the status
 * code, the {@code x-amzn-ErrorType} and the body Lambda sends, so the AWS SDK and moto's interpreter name it as
 * they name Lambda's own ({@code SnapStartNotReadyException}, {@code Lambda.SnapStartNotReadyException}).
 */
final class InvokeFaults {

  /** What a function timeout looks like to the caller: the invoke succeeds, the function failed with this type. */
  static final String FUNCTION_TIMEOUT = "Sandbox.Timedout";

  /**
   * The next {@code remaining} invocations of {@code function} whose payload contains {@code payloadContains} (empty:
   * every one) are answered with {@code errorCode}.
   */
  private record Rule(String function, String payloadContains, String errorCode, AtomicInteger remaining) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> reserved = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();

  void failNext(String function, String payloadContains, int times, String errorCode) {
    rules.add(new Rule(function, payloadContains == null ? "" : payloadContains, errorCode, new AtomicInteger(times)));
  }

  void clear() {
    rules.clear();
  }

  void reserveConcurrency(String function, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("reserved concurrency must be 0 or more: " + limit);
    }
    reserved.put(function, limit);
  }

  /** Invocations refused for the reserved-concurrency cap (429), as Lambda's Throttles metric counts them. */
  int throttles(String function) {
    AtomicInteger count = throttled.get(function);
    return count == null ? 0 : count.get();
  }

  /**
   * The service's answer when it refuses this invocation, else null: then the invocation holds one of the function's
   * concurrency until {@link #release(String)}.
   */
  InvokeResult admit(String function, byte[] payload, String requestId, int timeoutSeconds) {
    for (Rule rule : rules) {
      if (rule.function().equals(function) && matches(payload, rule.payloadContains())
          && rule.remaining().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
        return answer(rule.errorCode(), requestId, timeoutSeconds);
      }
    }
    AtomicInteger running = inFlight.computeIfAbsent(function, f -> new AtomicInteger());
    Integer limit = reserved.get(function);
    if (limit != null && running.incrementAndGet() > limit) {
      running.decrementAndGet();
      throttled.computeIfAbsent(function, f -> new AtomicInteger()).incrementAndGet();
      return throttle("ReservedFunctionConcurrentInvocationLimitExceeded", requestId);
    }
    if (limit == null) {
      running.incrementAndGet();
    }
    return null;
  }

  void release(String function) {
    inFlight.get(function).decrementAndGet();
  }

  private static boolean matches(byte[] payload, String contains) {
    return contains.isEmpty() || new String(payload, StandardCharsets.UTF_8).contains(contains);
  }

  private static InvokeResult answer(String errorCode, String requestId, int timeoutSeconds) {
    return switch (errorCode) {
      case FUNCTION_TIMEOUT -> InvokeResult.functionError(Json.error(FUNCTION_TIMEOUT, "RequestId: " + requestId
          + " Error: Task timed out after " + timeoutSeconds + ".00 seconds"), requestId);
      case "TooManyRequestsException" -> throttle("ConcurrentInvocationLimitExceeded", requestId);
      // Lambda's own words (Invoke API reference, SnapStart troubleshooting); these shapes spell it "Message".
      case "SnapStartNotReadyException" -> snapStart(409, errorCode, "Lambda is initializing your function. It "
          + "will be ready to invoke once your function state becomes ACTIVE.", requestId);
      case "SnapStartTimeoutException" -> snapStart(408, errorCode,
          "Lambda couldn't restore the snapshot within the timeout limit.", requestId);
      case "SnapStartException" -> snapStart(400, errorCode,
          "The afterRestore() runtime hook encountered an error.", requestId);
      default -> InvokeResult.serviceError(statusOf(errorCode), errorCode, "injected by LocalLambda.failNext",
          requestId);
    };
  }

  /** 429 with the Reason Lambda gives: which limit the invocation ran into. */
  private static InvokeResult throttle(String reason, String requestId) {
    String body = "{\"Reason\":" + Json.quote(reason) + ",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}";
    return new InvokeResult(429, null, "TooManyRequestsException", body.getBytes(StandardCharsets.UTF_8), requestId);
  }

  private static InvokeResult snapStart(int status, String errorCode, String message, String requestId) {
    String body = "{\"Type\":\"User\",\"Message\":" + Json.quote(message) + "}";
    return new InvokeResult(status, null, errorCode, body.getBytes(StandardCharsets.UTF_8), requestId);
  }

  private static int statusOf(String errorCode) {
    return switch (errorCode) {
      case "ResourceNotFoundException" -> 404;
      case "InvalidRequestContentException", "RequestTooLargeException" -> 413;
      case "ResourceNotReadyException", "ResourceConflictException" -> 409;
      case "EC2ThrottledException", "ENILimitReachedException", "SubnetIPAddressLimitReachedException" -> 502;
      default -> 500;
    };
  }
}
