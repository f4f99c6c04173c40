package com.qualys.lambdascanner.common.priming;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The function's one HTTP client, with a priming path that never leaves the process: while {@link Priming} is on,
 * a request's body is read (so checksums and streaming run as for a real call) and answered here: with the step's
 * made-up success when one matches, else a 400 {@value Priming#ERROR_CODE} error in the service's own error format
 * (JSON or XML), which the SDK unmarshals and does not retry. Otherwise every request goes to the real client.
 */
public final class PrimingHttpClient implements SdkHttpClient {

  private final SdkHttpClient delegate;
  private final Priming priming;

  public PrimingHttpClient(SdkHttpClient delegate, Priming priming) {
    this.delegate = delegate;
    this.priming = priming;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    if (!priming.active()) {
      return delegate.prepareRequest(request);
    }
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        request.contentStreamProvider().ifPresent(PrimingHttpClient::drain);
        priming.answered();
        return priming.answerFor(request.httpRequest())
            .map(answer -> response(200, answer.contentType(), answer.body()))
            .orElseGet(() -> refusal(request.httpRequest()));
      }

      @Override
      public void abort() {
        // nothing in flight
      }
    };
  }

  private static void drain(ContentStreamProvider body) {
    try (InputStream in = body.newStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON for the JSON protocols (a target header, a JSON body, Lambda's REST paths), XML for the others. */
  static HttpExecuteResponse refusal(SdkHttpRequest request) {
    boolean json = request.firstMatchingHeader("X-Amz-Target").isPresent()
        || request.firstMatchingHeader("Content-Type").map(t -> t.contains("json")).orElse(false)
        || request.encodedPath().startsWith("/2015-03-31/");
    String message = "priming: answered in the process, never sent";
    String body = json
        ? "{\"__type\":\"" + Priming.ERROR_CODE + "\",\"message\":\"" + message + "\"}"
        : "<ErrorResponse><Error><Type>Sender</Type><Code>" + Priming.ERROR_CODE + "</Code><Message>" + message
            + "</Message></Error><RequestId>priming</RequestId></ErrorResponse>";
    return response(400, json ? "application/x-amz-json-1.1" : "text/xml", body);
  }

  private static HttpExecuteResponse response(int status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpResponse.Builder response = SdkHttpResponse.builder()
        .statusCode(status)
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Length", Integer.toString(bytes.length))
        .putHeader("x-amzn-RequestId", "priming");
    if (status >= 400) {
      response.putHeader("x-amzn-ErrorType", Priming.ERROR_CODE);
    }
    return HttpExecuteResponse.builder()
        .response(response.build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
        .build();
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
