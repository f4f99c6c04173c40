package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The leak check of a pipeline's run: each path test registers its execution (and the code location of its target);
 * the final check collects everything the run produced (every execution history, all pages; every function log;
 * every object in the results bucket; every message published to the topic) and looks in it for every secret the
 * run handed out (the Qualys token, the functions' session credentials and those of any role they assumed) and for
 * presigned URLs.
 */
final class Leaks {

  /** What a presigned URL (GetFunction's Code.Location among them) always carries. */
  static final List<String> PRESIGNED_MARKERS = List.of("X-Amz-Signature", "X-Amz-Credential",
      "X-Amz-Security-Token");

  private final LocalPipeline pipeline;
  private final List<String> executions = new CopyOnWriteArrayList<>();
  private final List<String> codeLocations = new CopyOnWriteArrayList<>();

  Leaks(LocalPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Registers an execution; returns the report for chaining. */
  ExecutionReport register(ExecutionReport report) {
    executions.add(report.executionArn());
    return report;
  }

  /** Registers the presigned Code.Location moto gives for the function, if it has one. */
  void registerTarget(LambdaClient control, String functionName) {
    String location = control.getFunction(b -> b.functionName(functionName)).code().location();
    if (location != null && location.startsWith("https://")) {
      codeLocations.add(location);
    }
  }

  /** Everything the run produced, by where it is. */
  Map<String, String> artifacts() {
    Map<String, String> artifacts = new LinkedHashMap<>();
    List<String> all = pipeline.executions();
    assertThat(all).as("every registered execution is listed").containsAll(executions);
    for (String arn : all) {
      artifacts.put("history " + arn, pipeline.history(arn).toString());
    }
    try (Stream<Path> logs = Files.list(pipeline.logs())) {
      for (Path log : logs.toList()) {
        artifacts.put("log " + log.getFileName(), Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String key : pipeline.resultObjects()) {
      artifacts.put("s3 " + key, pipeline.resultObject(key));
    }
    List<String> messages = pipeline.drainPublishedMessages();
    for (int i = 0; i < messages.size(); i++) {
      artifacts.put("sns message " + i, messages.get(i));
    }
    return artifacts;
  }

  /** Asserts that no artifact holds a secret or a presigned URL; returns what was checked, for the caller's checks. */
  Map<String, String> assertNoSecretAnywhere() {
    Map<String, String> artifacts = artifacts();
    Set<String> secrets = pipeline.secrets();
    assertThat(secrets).as("the secrets looked for").contains(pipeline.token()).hasSizeGreaterThan(2);
    // The detector itself, on a planted leak of each kind: a check that cannot find anything proves nothing.
    for (String planted : List.of(pipeline.token(), secrets.stream().filter(s -> !s.equals(pipeline.token()))
        .findFirst().orElseThrow(), "https://bucket.s3.amazonaws.com/x?X-Amz-Signature=abc")) {
      assertThat(find(Map.of("planted", "...\"detail\": \"" + planted + "\"..."), secrets)).as("planted leak")
          .hasSize(1);
    }
    assertThat(find(artifacts, secrets)).as("secrets found in " + artifacts.size() + " artifacts").isEmpty();
    return artifacts;
  }

  private List<String> find(Map<String, String> artifacts, Set<String> secrets) {
    // A set: a secret's forms include the secret itself (and forms that equal each other), each is reported once.
    Set<String> needles = new LinkedHashSet<>(secrets);
    // And every encoded form the redactor masks (JSON-escaped, URL-encoded, base64): a leak in another encoding is a
    // leak (issue 12).
    secrets.forEach(secret -> {
      if (secret != null && secret.length() >= 8) {
        needles.addAll(SecretVariants.of(secret));
      }
    });
    needles.addAll(PRESIGNED_MARKERS);
    needles.addAll(codeLocations);
    List<String> found = new ArrayList<>();
    artifacts.forEach((where, text) -> {
      for (String needle : needles) {
        if (needle != null && !needle.isBlank() && text.contains(needle)) {
          found.add(where + " contains " + label(needle, secrets));
        }
      }
    });
    return found;
  }

  private String label(String needle, Set<String> secrets) {
    if (needle.equals(pipeline.token())) {
      return "the Qualys token";
    }
    if (secrets.contains(needle)) {
      return "an issued AWS secret key or session token (" + needle.substring(0, 4) + "...)";
    }
    if (!codeLocations.contains(needle) && !PRESIGNED_MARKERS.contains(needle)) {
      return "an encoded form of a secret (" + needle.substring(0, 4) + "...)";
    }
    return codeLocations.contains(needle) ? "a Code.Location" : needle;
  }

  List<String> executions() {
    return List.copyOf(executions);
  }
}
