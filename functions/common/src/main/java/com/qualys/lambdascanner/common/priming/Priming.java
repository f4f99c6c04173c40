package com.qualys.lambdascanner.common.priming;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The switch between priming and serving, one per container. While {@link #run} runs a function's priming steps,
 * {@link PrimingHttpClient} answers every SDK request in the process and {@link PrimingCredentials} signs with a
 * fixed, fake key: the steps run the real code (JSON, the service, the SDK's marshalling, signing and error
 * handling) and nothing reaches AWS, no connection is opened and no credential is fetched. Outside {@link #run} both
 * pass straight through. Priming runs in the init phase, before the runtime serves any request, so no real request
 * can be answered in the process.
 */
public final class Priming {

  /** The error code every request gets while priming; a step that fails with it ran as far as AWS would let it. */
  public static final String ERROR_CODE = "PrimingOnly";

  /**
   * A made-up successful answer for the requests it matches (so the SDK's response unmarshalling runs too). Only for
   * answers nothing keeps: never the caller's identity or anything else a function caches.
   */
  public record Answer(Predicate<SdkHttpRequest> matches, String contentType, String body) {}

  private volatile boolean active;
  private volatile Answer answer;
  private final AtomicInteger answered = new AtomicInteger();

  public boolean active() {
    return active;
  }

  void answered() {
    answered.incrementAndGet();
  }

  Optional<Answer> answerFor(SdkHttpRequest request) {
    Answer current = answer;
    return current != null && current.matches().test(request) ? Optional.of(current) : Optional.empty();
  }

  /**
   * Runs the steps in order with the switch on, and turns it off whatever happens. A step is expected to end in an
   * error (the first AWS call is refused): each step's outcome is its exception's class name, or {@code completed}.
   *
   * @return the outcome per step, and under {@code requestsAnsweredInProcess} how many SDK requests were answered
   */
  public Map<String, Object> run(Map<String, Runnable> steps) {
    return run(steps, Map.of());
  }

  /**
   * As {@link #run(Map)}; while a step named in {@code answers} runs, the requests its answer matches get that
   * made-up success, the others are refused.
   */
  public Map<String, Object> run(Map<String, Runnable> steps, Map<String, Answer> answers) {
    Map<String, Object> outcomes = new LinkedHashMap<>();
    answered.set(0);
    active = true;
    try {
      steps.forEach((name, step) -> {
        answer = answers.get(name);
        outcomes.put(name, outcome(step));
      });
    } finally {
      active = false;
      answer = null;
    }
    outcomes.put("requestsAnsweredInProcess", answered.get());
    return outcomes;
  }

  private static String outcome(Runnable step) {
    try {
      step.run();
      return "completed";
    } catch (RuntimeException e) {
      // Class names only: a message could quote input, and priming logs nothing else.
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof AwsServiceException aws && ERROR_CODE.equals(aws.awsErrorDetails().errorCode())) {
          return "answered in process: " + e.getClass().getSimpleName();
        }
      }
      return "ended in " + e.getClass().getName();
    }
  }
}
