package com.qualys.lambdascanner.testing;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps every log line StructuredLog writes, so a test can prove what was (not) logged. */
public final class CapturingLogger implements LambdaLogger {

  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void log(String message) {
    lines.add(message);
  }

  @Override
  public void log(byte[] message) {
    log(new String(message, StandardCharsets.UTF_8));
  }

  @Override
  public void log(String message, LogLevel level) {
    log(message);
  }

  /** The lines so far, in order (a copy: the logger may still be written to). */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Every line so far, one per line. */
  public synchronized String all() {
    return String.join("\n", lines);
  }
}
