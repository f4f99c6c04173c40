package com.qualys.lambdascanner.common.fleet;

import com.qualys.lambdascanner.common.secret.Redactor;

/** An error or detail as the fleet's files show it: redacted, whitespace folded, at most {@value #MAX} characters. */
public final class OneLine {

  public static final int MAX = 512;
  private static final Redactor REDACTOR = Redactor.patternsOnly();

  private OneLine() {}

  /** Null stays null. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    String line = REDACTOR.redact(text).replaceAll("\\s+", " ").strip();
    return line.length() <= MAX ? line : line.substring(0, MAX - 1) + "…";
  }
}
