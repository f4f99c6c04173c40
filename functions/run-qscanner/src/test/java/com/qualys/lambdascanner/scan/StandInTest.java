package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in accepts and refuses what QScanner's README v4.8.0 says the binary does. */
class StandInTest {

  @TempDir Path dir;

  private record Ran(int exit, String stdout, String stderr) {}

  private Ran run(String extraJson, String... args) throws IOException, InterruptedException {
    Path qscanner = TestSupport.installStandIn(Files.createDirectories(dir.resolve("bin")), Map.of(), null, extraJson);
    List<String> command = new ArrayList<>(List.of(qscanner.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(Map.of("HOME", dir.toString(), "PATH", "/usr/local/bin:/usr/bin:/bin",
        "QUALYS_ACCESS_TOKEN", "t", "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Ran(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:fn:7";

  @Test
  void run_whenPolicyTagsBesideGetReport_accepted() throws Exception {
    // README "Use Cases", CI-CD pipeline: --mode get-report --policy-tags dev,all image openjdk
    Ran ran = run("", "--pod", "US1", "--mode", "get-report", "--policy-tags", "dev,all",
        "--output-dir", dir.resolve("out").toString(), "lambda", ARN);

    assertThat(ran.exit()).as(ran.stderr()).isZero();
  }

  @Test
  void run_whenAFlagThisBuildDoesNotKnow_exit2NamingIt() throws Exception {
    Ran ran = run(", \"refuseFlags\": [\"--max-network-retries\"]", "--pod", "US1", "--max-network-retries", "2",
        "lambda", ARN);

    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.stderr()).contains("unknown flag: --max-network-retries");
  }

  @Test
  void run_whenVersion_printsIt() throws Exception {
    Ran ran = run("", "--version");

    assertThat(ran.exit()).isZero();
    assertThat(ran.stdout()).contains("4.8.0-standin");
  }

  @Test
  void run_whenInventoryOnlyOffline_noCredentialsNoJavaDbNoSpdxNoReport() throws Exception {
    Path out = dir.resolve("out");
    Ran ran = run("", "--mode", "inventory-only", "--offline-scan=true", "--format", "json",
        "--output-dir", out.toString(), "--cache-dir", dir.resolve("cache").toString(), "lambda", ARN);

    assertThat(ran.exit()).as(ran.stderr()).isZero();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("-ScanResult.json");
    }
    assertThat(dir.resolve("cache/java-db")).doesNotExist();
  }
}
