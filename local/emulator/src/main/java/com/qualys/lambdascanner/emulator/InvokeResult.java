package com.qualys.lambdascanner.emulator;

import java.nio.charset.StandardCharsets;

/**
 * What Lambda's Invoke API answers.
 *
 * @param statusCode 200 for every run of the function, successful or not; 4xx/5xx when the service refused it
 * @param functionError {@code Unhandled} when the function failed (its error is the payload), else null
 * @param errorCode the service error ({@code x-amzn-ErrorType}) when the status is not 2xx, else null
 * @param payload the function's response, its error document, or the service error document
 * @param requestId the invocation's request id
 */
public record InvokeResult(int statusCode, String functionError, String errorCode, byte[] payload, String requestId) {

  static InvokeResult success(byte[] payload, String requestId) {
    return new InvokeResult(200, null, null, payload, requestId);
  }

  static InvokeResult functionError(String payload, String requestId) {
    return new InvokeResult(200, "Unhandled", null, payload.getBytes(StandardCharsets.UTF_8), requestId);
  }

  static InvokeResult serviceError(int status, String errorCode, String message, String requestId) {
    String body = "{\"Type\":\"" + (status >= 500 ? "Service" : "User") + "\",\"message\":" + Json.quote(message) + "}";
    return new InvokeResult(status, null, errorCode, body.getBytes(StandardCharsets.UTF_8), requestId);
  }

  /** True when the function ran and returned normally. */
  public boolean succeeded() {
    return statusCode == 200 && functionError == null;
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "InvokeResult[status=" + statusCode + ", functionError=" + functionError + ", errorCode=" + errorCode
        + ", requestId=" + requestId + ", payload=" + payloadText() + "]";
  }
}
