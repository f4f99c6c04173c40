package com.qualys.lambdascanner.resolve;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps the log lines a test may inspect. */
final class CapturingLogger implements LambdaLogger {

  final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void log(String message) {
    lines.add(message);
  }

  @Override
  public synchronized void log(byte[] message) {
    lines.add(new String(message, StandardCharsets.UTF_8));
  }

  synchronized String all() {
    return String.join("\n", lines);
  }
}
