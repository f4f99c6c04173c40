package com.qualys.lambdascanner.common.priming;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.http.SdkHttpRequest;

/** A function's priming steps, in order, and the sample input the function's package carries for them. */
public final class PrimingSteps {

  private final Map<String, Runnable> steps = new LinkedHashMap<>();
  private final Map<String, Priming.Answer> answers = new LinkedHashMap<>();

  /**
   * The sample input packaged with the function (a file of {@code events/}, copied under {@code priming/} by the
   * module's build).
   */
  public static byte[] sample(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the package has no " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The handler itself on the sample: JSON in through the real records, the service, its SDK calls. */
  public PrimingSteps handler(RequestStreamHandler handler, byte[] input) {
    return step("handler",
        () -> {
          try {
            handler.handleRequest(new ByteArrayInputStream(input), new ByteArrayOutputStream(), null);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  public PrimingSteps step(String name, Runnable step) {
    steps.put(name, step);
    return this;
  }

  /**
   * A step during which the requests {@code matches} accepts get a made-up success (see {@link Priming.Answer}:
   * never an answer a function keeps).
   */
  public PrimingSteps step(String name, Predicate<SdkHttpRequest> matches, String contentType, String body,
      Runnable step) {
    answers.put(name, new Priming.Answer(matches, contentType, body));
    return step(name, step);
  }

  /** Whether the request is signed for this service (SigV4 credential scope {@code .../<service>/aws4_request}). */
  public static boolean signedFor(SdkHttpRequest request, String service) {
    return request.firstMatchingHeader("Authorization").map(a -> a.contains("/" + service + "/aws4_request"))
        .orElse(false);
  }

  public Map<String, Runnable> steps() {
    return steps;
  }

  public Map<String, Priming.Answer> answers() {
    return answers;
  }
}
