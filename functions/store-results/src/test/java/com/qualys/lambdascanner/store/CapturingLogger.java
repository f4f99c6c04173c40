package com.qualys.lambdascanner.store;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps every log line, so a test can prove what was (not) logged. */
final class CapturingLogger implements LambdaLogger {

  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void log(String message) {
    lines.add(message);
  }

  @Override
  public void log(byte[] message) {
    log(new String(message, StandardCharsets.UTF_8));
  }

  synchronized String all() {
    return String.join("\n", lines);
  }
}
