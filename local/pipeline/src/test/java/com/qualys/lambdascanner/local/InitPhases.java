package com.qualys.lambdascanner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a function's init goes, read from its {@code -Xlog:class+load} log (uptime on every line): the JVM and the
 * Runtime Interface Client until the handler class loads; after it, each gap between two class loads is counted for
 * the part whose class ends it (the HTTP client and TLS, the SDK, Jackson, the function's own code and Dagger), a
 * JDK class for the part of the last non-JDK class. A heuristic for the cold-start benchmark, not a profile; the
 * logging itself slows the JVM a little.
 */
final class InitPhases {

  private static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s].*? (\\S+) source: .*");
  static final List<String> COLUMNS = List.of("jvm+ric", "http+tls", "sdk clients", "jackson", "other");

  private InitPhases() {}

  /** run-qscanner's first invocation, by the same gap rule: what its scan path loads, and the scanner process. */
  static final List<String> FIRST_INVOCATION_COLUMNS = List.of("sdk models", "sdk core+http", "jackson", "jdk xml",
      "process", "own code", "other");

  /** Milliseconds per column, over the first {@code initLines} lines of the log (the classes loaded by init). */
  static Map<String, Long> of(Path log, long initLines) {
    List<String> lines = lines(log, 0, initLines);
    Map<String, Double> seconds = new LinkedHashMap<>();
    COLUMNS.forEach(column -> seconds.put(column, 0.0));
    double previous = 0;
    String owner = "jvm+ric";
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      double at = Double.parseDouble(m.group(1));
      String type = m.group(2);
      if (owner.equals("jvm+ric") && !(type.startsWith("com.qualys.lambdascanner.") && type.endsWith("Handler"))) {
        seconds.merge(owner, at - previous, Double::sum);
      } else {
        String part = part(type);
        owner = part == null ? (owner.equals("jvm+ric") ? "other" : owner) : part;
        seconds.merge(owner, at - previous, Double::sum);
      }
      previous = at;
    }
    Map<String, Long> phases = new LinkedHashMap<>();
    seconds.forEach((column, value) -> phases.put(column, Math.round(value * 1000)));
    return phases;
  }

  /**
   * Milliseconds per {@link #FIRST_INVOCATION_COLUMNS} column over the lines after the first {@code from} (init's)
   * up to line {@code to} (the first invocation's last), from the invocation's first class load on (the wait for
   * the invocation before it is not the function's); a JDK class counts for the part of the last non-JDK class
   * before it, except the XML parser (the SDK's STS and S3 responses) and process classes. The wait for the scanner
   * process ends at the next class load after it, so "process" holds the scanner's own run and most of the spawn.
   */
  static Map<String, Long> firstInvocation(Path log, long from, long to) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    FIRST_INVOCATION_COLUMNS.forEach(column -> seconds.put(column, 0.0));
    Double previous = null;
    String owner = "other";
    for (String line : lines(log, from, to - from)) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      double at = Double.parseDouble(m.group(1));
      String type = m.group(2);
      String part = firstInvocationPart(type);
      owner = part != null ? part : owner;
      if (previous != null) {
        seconds.merge(part != null ? part : owner, at - previous, Double::sum);
      }
      previous = at;
    }
    Map<String, Long> phases = new LinkedHashMap<>();
    seconds.forEach((column, value) -> phases.put(column, Math.round(value * 1000)));
    return phases;
  }

  private static String firstInvocationPart(String type) {
    if (type.startsWith("software.amazon.awssdk.services.")) {
      return "sdk models";
    }
    if (type.startsWith("software.amazon.awssdk.") || type.startsWith("sun.net.") || type.startsWith("sun.security.")
        || type.startsWith("javax.net.")) {
      return "sdk core+http";
    }
    if (type.startsWith("com.fasterxml.jackson.")) {
      return "jackson";
    }
    if (type.startsWith("com.sun.org.apache.") || type.startsWith("javax.xml.") || type.startsWith("jdk.xml.")) {
      return "jdk xml";
    }
    if (type.startsWith("java.lang.Process")) {
      return "process";
    }
    if (type.startsWith("com.qualys.lambdascanner.")) {
      return "own code";
    }
    return null;
  }

  private static List<String> lines(Path log, long skip, long limit) {
    try (var all = Files.lines(log)) {
      return all.skip(skip).limit(limit).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The part a class belongs to, or null for a JDK class outside TLS and security. */
  private static String part(String type) {
    if (type.startsWith("software.amazon.awssdk.http.urlconnection.") || type.startsWith("javax.net.ssl.")
        || type.startsWith("sun.security.") || type.startsWith("java.security.") || type.startsWith("com.sun.crypto.")
        || type.startsWith("javax.crypto.")) {
      return "http+tls";
    }
    if (type.startsWith("software.amazon.awssdk.")) {
      return "sdk clients";
    }
    if (type.startsWith("com.fasterxml.jackson.")) {
      return "jackson";
    }
    if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")
        || type.startsWith("com.sun.")) {
      return null;
    }
    return "other";
  }
}
