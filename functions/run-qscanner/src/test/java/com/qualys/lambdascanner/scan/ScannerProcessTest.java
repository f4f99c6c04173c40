package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerProcessTest {

  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";

  @TempDir Path dir;

  private Map<String, String> env() {
    return Map.of(
        "HOME", dir.toString(),
        "PATH", RunQScanner.PATH,
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "QUALYS_ACCESS_TOKEN", "token-0123456789");
  }

  @Test
  void run_whenScannerHangsWithAChild_killsTheWholeTreeAndTimesOut() throws Exception {
    Path qscanner = TestSupport.installStandIn(dir, Map.of("stuck", "hang"));
    List<String> command = List.of(qscanner.toString(), "--pod", "US1", "lambda", ARN + "stuck");

    assertThatThrownBy(() -> ScannerProcess.run(command, env(), dir, Duration.ofSeconds(2)))
        .isInstanceOf(ScanTimeoutException.class);

    List<Long> pids = pids(dir.resolve("hang.pids"));
    assertThat(pids).hasSize(2);
    assertThat(TestSupport.stillRunning(pids)).isEmpty();
  }

  @Test
  void run_whenScannerExitsNormallyLeavingADaemon_daemonStopped() throws Exception {
    Path qscanner = TestSupport.installStandIn(dir, Map.of("forks", "daemon"));
    Path output = Files.createDirectories(dir.resolve("out"));
    List<String> command =
        List.of(qscanner.toString(), "--pod", "US1", "--output-dir", output.toString(), "lambda", ARN + "forks");

    ProcessResult sut = ScannerProcess.run(command, env(), dir, Duration.ofSeconds(30));

    assertThat(sut.exitCode()).isZero();
    List<Long> daemon = pids(dir.resolve("daemon.pids"));
    assertThat(daemon).hasSize(1);
    assertThat(sut.leftovers()).isEqualTo(1);
    assertThat(TestSupport.running(daemon.getFirst())).as("the daemon is gone when run returns").isFalse();
  }

  @Test
  void run_whenAnotherRunsProcessIsAlive_leftAlone() throws Exception {
    Path qscanner = TestSupport.installStandIn(dir, Map.of("forks", "daemon"));
    Path otherHome = Files.createDirectories(dir.resolve("other-home"));
    ProcessBuilder other = new ProcessBuilder("sleep", "60");
    other.environment().clear();
    other.environment().put("HOME", otherHome.toString());
    Process bystander = other.start();
    try {
      ScannerProcess.run(
          List.of(qscanner.toString(), "--pod", "US1", "lambda", ARN + "f"), env(), dir, Duration.ofSeconds(30));

      assertThat(bystander.isAlive()).as("a process with another HOME is not this run's").isTrue();
    } finally {
      bystander.destroyForcibly();
    }
  }

  @Test
  void run_whenUnknownFlag_exit2WithStderrTail() {
    Path qscanner = TestSupport.installStandIn(dir, Map.of());

    ProcessResult sut =
        ScannerProcess.run(
            List.of(qscanner.toString(), "--pod", "US1", "--frobnicate", "lambda", ARN + "f"),
            env(),
            dir,
            Duration.ofSeconds(30));

    assertThat(sut.exitCode()).isEqualTo(2);
    assertThat(sut.stderr().tail(1000)).contains("unknown flag: --frobnicate");
  }

  @Test
  void run_whenEnvironmentHasNoHome_exit3() {
    Path qscanner = TestSupport.installStandIn(dir, Map.of());
    Map<String, String> noHome = new java.util.HashMap<>(env());
    noHome.remove("HOME");

    ProcessResult sut =
        ScannerProcess.run(
            List.of(qscanner.toString(), "--pod", "US1", "lambda", ARN + "f"), noHome, dir, Duration.ofSeconds(30));

    assertThat(sut.exitCode()).isEqualTo(3);
  }

  @Test
  void run_whenBinaryMissing_terminal() {
    assertThatThrownBy(
            () -> ScannerProcess.run(List.of(dir.resolve("nope").toString()), env(), dir, Duration.ofSeconds(5)))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cannot start qscanner");
  }

  static List<Long> pids(Path file) throws IOException {
    return Arrays.stream(Files.readString(file).trim().split("\\s+")).map(Long::parseLong).toList();
  }
}
