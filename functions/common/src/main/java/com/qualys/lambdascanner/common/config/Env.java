package com.qualys.lambdascanner.common.config;

import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.Map;
import java.util.function.Function;

/**
 * The function's environment, read in one place (each function's config {@code @Provides} method). A missing
 * or malformed variable is a {@link TerminalException} naming the variable: a deployment error, not a retry.
 */
public final class Env {

  private final Function<String, String> source;

  public Env(Function<String, String> source) {
    this.source = source;
  }

  public static Env system() {
    return new Env(System::getenv);
  }

  public static Env of(Map<String, String> values) {
    return new Env(values::get);
  }

  public String required(String name) {
    String value = source.apply(name);
    if (value == null || value.isBlank()) {
      throw new TerminalException("environment variable " + name + " is not set");
    }
    return value.strip();
  }

  public String optional(String name, String fallback) {
    String value = source.apply(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  public int integer(String name, int fallback) {
    String value = optional(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new TerminalException("environment variable " + name + " is not a whole number");
    }
  }

  public boolean flag(String name, boolean fallback) {
    String value = optional(name, null);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new TerminalException("environment variable " + name + " must be true or false");
    };
  }
}
