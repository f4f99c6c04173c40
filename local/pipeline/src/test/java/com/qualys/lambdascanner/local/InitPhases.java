package com.qualys.lambdascanner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a function's init goes, read from its {@code -Xlog:class+load} log (uptime on every line): the JVM and the
 * Runtime Interface Client until the handler class loads, then each stretch that starts with the first class of a
 * known part (the HTTP client with its TLS context, the first SDK service client, Jackson) until the next part
 * starts or init ends. For the cold-start benchmark; the logging itself slows the JVM a little.
 */
final class InitPhases {

  private static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s].*? (\\S+) source: .*");
  private static final Map<String, Pattern> PARTS = Map.of(
      "http+tls", Pattern.compile("software\\.amazon\\.awssdk\\.http\\.urlconnection\\.UrlConnectionHttpClient"),
      "sdk clients", Pattern.compile("software\\.amazon\\.awssdk\\.services\\.\\w+\\.\\w+Client"),
      "jackson", Pattern.compile("com\\.qualys\\.lambdascanner\\.common\\.json\\.JsonCodec"));
  static final List<String> COLUMNS = List.of("jvm+ric", "http+tls", "sdk clients", "jackson", "other");

  private InitPhases() {}

  /** Milliseconds per column, over the first {@code initLines} lines of the log (the classes loaded by init). */
  static Map<String, Long> of(Path log, long initLines) {
    List<String> lines;
    try (var all = Files.lines(log)) {
      lines = all.limit(initLines).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double handler = -1;
    double end = 0;
    Map<String, Double> starts = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      double at = Double.parseDouble(m.group(1));
      String type = m.group(2);
      end = at;
      if (handler < 0 && type.startsWith("com.qualys.lambdascanner.") && type.endsWith("Handler")) {
        handler = at;
      }
      PARTS.forEach((part, pattern) -> {
        if (!starts.containsKey(part) && pattern.matcher(type).matches()) {
          starts.put(part, at);
        }
      });
    }
    Map<String, Long> phases = new LinkedHashMap<>();
    COLUMNS.forEach(column -> phases.put(column, 0L));
    if (handler < 0) {
      return phases;
    }
    phases.put("jvm+ric", millis(handler));
    List<Map.Entry<String, Double>> ordered = new ArrayList<>(starts.entrySet());
    ordered.sort(Map.Entry.comparingByValue());
    double previous = handler;
    String owner = "other";
    for (Map.Entry<String, Double> start : ordered) {
      phases.merge(owner, millis(start.getValue() - previous), Long::sum);
      previous = start.getValue();
      owner = start.getKey();
    }
    phases.merge(owner, millis(end - previous), Long::sum);
    return phases;
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }
}
