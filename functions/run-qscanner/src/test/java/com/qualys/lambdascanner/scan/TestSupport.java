package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.testing.Events;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** This module's test helpers: the stand-in scanner in a temp folder, targets and configs. */
final class TestSupport {

  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";

  private TestSupport() {}

  static Path projectRoot() {
    return Events.root();
  }

  /** A private copy of the stand-in (local/qscanner) with its own scenarios.json. */
  static Path installStandIn(Path dir, Map<String, String> scenarioByFunction) {
    return installStandIn(dir, scenarioByFunction, null);
  }

  /** ... with the endpoint the change-code scenario deploys to (null for none). */
  static Path installStandIn(Path dir, Map<String, String> scenarioByFunction, java.net.URI endpoint) {
    return installStandIn(dir, scenarioByFunction, endpoint, "");
  }

  /** ... and more scenarios.json keys ({@code extraJson}: {@code , "key": value} pairs, or ""). */
  static Path installStandIn(
      Path dir, Map<String, String> scenarioByFunction, java.net.URI endpoint, String extraJson) {
    try {
      Path script = com.qualys.lambdascanner.testing.StandIn.copy(projectRoot(), dir);
      String functions =
          scenarioByFunction.entrySet().stream()
              .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
              .collect(Collectors.joining(", "));
      Files.writeString(
          dir.resolve("scenarios.json"),
          "{\"default\": \"clean\", \"functions\": {" + functions + "}"
              + (endpoint == null ? "" : ", \"endpoint\": \"" + endpoint + "\"") + extraJson + "}");
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Target zipTarget(String functionName) {
    return zipTarget(ACCOUNT, REGION, functionName);
  }

  static Target zipTarget(String account, String region, String functionName) {
    return new Target(
        "aws",
        account,
        region,
        functionName,
        "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName,
        "7",
        PackageType.ZIP,
        "python3.12",
        List.of("x86_64"),
        "n0SGf2nBOBgDWy1hq3qHTDg7MS4wB9fNjUdOsGydWwM=",
        null,
        null,
        List.of(),
        "Active");
  }

  static Target imageTarget(String functionName, String digest) {
    return imageTarget(ACCOUNT, REGION, functionName, digest);
  }

  static Target imageTarget(String account, String region, String functionName, String digest) {
    return new Target(
        "aws",
        account,
        region,
        functionName,
        "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName,
        "$LATEST",
        PackageType.IMAGE,
        null,
        List.of("arm64"),
        "abc",
        account + ".dkr.ecr." + region + ".amazonaws.com/orders:latest",
        digest,
        List.of(),
        "Active");
  }

  /**
   * For tests about everything but the code check: the targets here are not functions in the emulator, and their
   * code always reads as the resolved code, revision "1". {@code ScanIntegrityIT} tests the real check.
   */
  static CodeChangeCheck unchangedCode() {
    return new CodeChangeCheck((target, credentials) -> new TargetCode.CodeState(target.codeSha256(), "1"));
  }

  static Config config(
      Path qscanner, Path workRoot, String bucket, String secretArn, String mode, String reportFormat) {
    return config(qscanner, workRoot, bucket, secretArn, mode, reportFormat, "", "");
  }

  /** A config in hub mode when {@code spokeRoleName} is not empty. */
  static Config config(
      Path qscanner,
      Path workRoot,
      String bucket,
      String secretArn,
      String mode,
      String reportFormat,
      String spokeRoleName,
      String spokeExternalId) {
    return new Config(
        bucket,
        secretArn,
        qscanner,
        mode,
        Config.EVALUATE_POLICY.equals(mode) ? List.of("prod", "pci") : List.of(),
        List.of("pkg", "secret"),
        reportFormat,
        "info",
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        workRoot,
        spokeRoleName,
        spokeExternalId,
        Config.DEFAULT_SBOM_FORMATS,
        true);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a process is running (a zombie waiting for a reaper does not count: it runs nothing). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  /** Waits (bounded) until none of the pids runs; returns those still running. */
  static List<Long> stillRunning(List<Long> pids) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      if (pids.stream().noneMatch(TestSupport::running)) {
        return List.of();
      }
      Thread.sleep(100);
    }
    return pids.stream().filter(TestSupport::running).toList();
  }
}
