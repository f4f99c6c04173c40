package com.qualys.lambdascanner.emulator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The long-lived node process that decides IAM checks ({@code @cloud-copilot/iam-simulate}, authz/evaluate.mjs) and
 * its JSON-lines protocol: one request line per check, tagged with an id, one answer line per request, in any order.
 * Apart from {@link Authorization} so that what a check is (principal, context, logging, usage) reads apart from how
 * it travels to node and back.
 */
final class IamEvaluator implements AutoCloseable {

  /** One answer: the decision, the statements that made it ({@code policy#Sid}), an error of the evaluator. */
  record Answer(boolean allowed, List<String> allowedBy, List<String> deniedBy, String error, String line) {}

  private static final Pattern DECISION = Pattern.compile("\"decision\":\"(\\w+)\"");
  private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");
  private static final Pattern ERROR = Pattern.compile("\"error\":(\"(?:[^\"\\\\]|\\\\.)*\")");

  private final Process process;
  private final BufferedWriter toEvaluator;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private IamEvaluator(Process process) {
    this.process = process;
    this.toEvaluator = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread.ofVirtual().name("authz-evaluator").start(this::readAnswers);
  }

  /**
   * Starts node over the rendered policies, in {@code nodeProjectRoot} (whose node_modules holds
   * {@code @cloud-copilot/iam-simulate}); its stderr goes to {@code authz-evaluator.log} beside {@code log}.
   */
  static IamEvaluator start(Path nodeProjectRoot, Path renderedPolicies, Path log) {
    try {
      Path script = extract("authz/evaluate.mjs");
      Process process = new ProcessBuilder("node", "--input-type=module", "-e", Files.readString(script),
          renderedPolicies.toAbsolutePath().toString())
          .directory(nodeProjectRoot.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling("authz-evaluator.log").toFile()))
          .start();
      return new IamEvaluator(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the IAM evaluator (node, and npm ci for @cloud-copilot/iam-simulate)",
          e);
    }
  }

  /**
   * The request line for one check, its id first: {@code sessionPolicy} is JSON (or null) and goes in as it is;
   * {@code context} values are strings or lists of strings.
   */
  static String request(long id, String principal, String principalArn, String sessionPolicy, AwsRequest.Check check,
      Map<String, Object> context) {
    StringBuilder request = new StringBuilder("{\"id\":").append(id)
        .append(",\"principal\":").append(Json.quote(principal))
        .append(",\"principalArn\":").append(principalArn == null ? "null" : Json.quote(principalArn))
        .append(",\"sessionPolicy\":").append(sessionPolicy == null ? "null" : sessionPolicy)
        .append(",\"action\":").append(Json.quote(check.action()))
        .append(",\"resource\":").append(Json.quote(check.resource()))
        .append(",\"resourceAccount\":").append(Json.quote(check.resourceAccount()))
        .append(",\"context\":{");
    boolean first = true;
    for (var entry : context.entrySet()) {
      request.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':');
      if (entry.getValue() instanceof List<?> values) {
        request.append('[').append(String.join(",", values.stream().map(v -> Json.quote(String.valueOf(v))).toList()))
            .append(']');
      } else {
        request.append(Json.quote(String.valueOf(entry.getValue())));
      }
      first = false;
    }
    return request.append("}}").toString();
  }

  /** A fresh id for {@link #request}. */
  long nextId() {
    return ids.incrementAndGet();
  }

  /** Sends the request line and waits for its answer; a stalled or ended evaluator answers as a refusal. */
  Answer ask(long id, String request) {
    String answer = answerLine(id, request);
    Matcher decision = DECISION.matcher(answer);
    Matcher error = ERROR.matcher(answer);
    return new Answer(decision.find() && decision.group(1).equals("Allowed"), list(answer, "allowedBy"),
        list(answer, "deniedBy"), error.find() ? error.group(1) : null, answer);
  }

  private String answerLine(long id, String request) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      synchronized (toEvaluator) {
        toEvaluator.write(request);
        toEvaluator.write('\n');
        toEvaluator.flush();
      }
      // Shorter than a function's timeout: a stalled evaluation shows as a refusal naming the evaluator.
      return answer.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      pending.remove(id);
      return "{\"id\":" + id + ",\"decision\":\"ImplicitlyDenied\",\"error\":" + Json.quote("evaluator: " + e) + "}";
    }
  }

  private static List<String> list(String answer, String field) {
    Matcher array = Pattern.compile("\"" + field + "\":\\[([^\\]]*)\\]").matcher(answer);
    if (!array.find() || array.group(1).isBlank()) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    Matcher item = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(array.group(1));
    while (item.find()) {
      values.add(item.group(1));
    }
    return values;
  }

  private void readAnswers() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher id = ID.matcher(line);
        if (id.find()) {
          CompletableFuture<String> answer = pending.remove(Long.parseLong(id.group(1)));
          if (answer != null) {
            answer.complete(line);
          }
        }
      }
    } catch (IOException e) {
      // the evaluator ended: pending checks time out as refusals
    }
  }

  /** A script of the emulator jar, copied to a temp file that node or python can run. */
  static Path extract(String resource) throws IOException {
    Path folder = Files.createTempDirectory("local-authz-");
    Path file = folder.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = IamEvaluator.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is missing from the emulator jar");
      }
      Files.copy(in, file);
    }
    file.toFile().deleteOnExit();
    folder.toFile().deleteOnExit();
    return file;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
