package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.emulator.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * {@code make check-scanner QSCANNER_BINARY=/path/to/qscanner}: does this binary work with the pipeline? No AWS account,
 * no Qualys call. It runs the binary's {@code --version}, then the command line Run QScanner builds
 * ({@link QScannerCommand}, the same code) in {@code inventory-only} mode with {@code --offline-scan=true}, against a
 * small function in the local emulator: {@code lambda} with the version's qualified ARN, the emulator given as
 * {@code AWS_ENDPOINT_URL}. A flag the binary refuses (exit 2 naming it) is reported and left out of the next try, so
 * one run finds every refused flag. If the binary cannot read the function there (it ignores AWS_ENDPOINT_URL and
 * calls AWS with fake credentials: exit 10), the same command scans the function's code unpacked in a local folder
 * ({@code rootfs <dir>}) instead. Then it checks that the files appear where Run QScanner's parsers look.
 */
public final class ScannerCheck {

  /** One line of the table. */
  record Row(String check, boolean pass, String reason) {}

  /**
   * Where the child reads the target and as whom: the emulator's endpoint and the credentials for that target (the
   * integration test: the enforcing endpoint and a ScanRole session narrowed to it; {@code make check-scanner}: moto
   * and its default key).
   */
  record ChildAws(java.net.URI endpoint, java.util.function.Function<Target, AwsCredentials> credentials) {}

  private static final Pattern UNKNOWN_FLAG = Pattern.compile("(--[a-z][a-z0-9-]*)");
  private static final String ACCOUNT = "123456789012";
  private static final int MAX_TRIES = 10;

  private ScannerCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ScannerCheck /path/to/qscanner");
      System.exit(2);
    }
    Path work = Files.createTempDirectory("check-scanner-");
    List<Row> rows;
    try {
      MotoServer moto = MotoServer.shared();
      rows = check(Path.of(args[0]).toAbsolutePath(), work, moto,
          new ChildAws(moto.endpoint(), target -> AwsBasicCredentials.create("testing", "testing")));
    } finally {
      WorkDir.delete(work);
    }
    System.out.println(table(rows));
    System.exit(rows.stream().allMatch(Row::pass) ? 0 : 1);
  }

  static String table(List<Row> rows) {
    int width = rows.stream().mapToInt(r -> r.check().length()).max().orElse(10);
    StringBuilder out = new StringBuilder();
    for (Row row : rows) {
      out.append(String.format("%-4s  %-" + width + "s  %s%n", row.pass() ? "PASS" : "FAIL", row.check(), row.reason()));
    }
    long failed = rows.stream().filter(r -> !r.pass()).count();
    out.append(failed == 0 ? "qscanner works with this pipeline" : failed + " check(s) failed");
    return out.toString();
  }

  /** Every check, in order; a failed step ends the list with its reason. */
  static List<Row> check(Path binary, Path work, MotoServer moto, ChildAws child) throws IOException {
    List<Row> rows = new ArrayList<>();
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      rows.add(new Row("binary", false, binary + " is not an executable file"));
      return rows;
    }
    ProcessResult version = ScannerProcess.run(
        List.of(binary.toString(), "--version"), childEnvironment(work, null, null), work, Duration.ofSeconds(30));
    String firstLine = firstLine(version.stdout().tail(4096) + "\n" + version.stderr().tail(4096));
    rows.add(new Row("--version", version.exitCode() == 0,
        version.exitCode() == 0 ? firstLine : "exit " + version.exitCode() + ": " + firstLine));

    Target target = emulatorFunction(moto, work);
    Config config = new Config("check-scanner", "none", binary, Config.GET_REPORT, List.of(),
        List.of("pkg", "secret"), "sarif", "info", Duration.ofSeconds(120), Duration.ZERO, Duration.ofSeconds(10),
        Duration.ofSeconds(5), work, "", "", Config.DEFAULT_SBOM_FORMATS, true);
    Path output = work.resolve("output");
    // With --skip-java-db-update=true (what a warm container passes) so that flag is checked too.
    List<String> command = inventoryOnly(QScannerCommand.build(config, target, "US1",
        new QScannerCommand.Run(Duration.ofSeconds(120), output, work.resolve("cache"), true, false)));
    List<String> flags = flagsOf(command);
    Map<String, String> env = childEnvironment(work, child.endpoint(), child.credentials().apply(target));

    ProcessResult run = null;
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < MAX_TRIES; i++) {
      Files.createDirectories(output);
      Files.createDirectories(work.resolve("cache"));
      run = ScannerProcess.run(command, env, work, Duration.ofSeconds(180));
      String flag = run.exitCode() == 2 ? refusedFlag(command, run.stderr().tail(8192)) : null;
      if (flag == null) {
        break;
      }
      refused.add(flag);
      command = without(command, flag);
      WorkDir.delete(output);
    }
    for (String flag : flags) {
      boolean accepted = !refused.contains(flag);
      rows.add(new Row("flag " + flag, accepted,
          accepted ? "accepted" : "refused (exit 2): Run QScanner passes it, so every scan would fail"));
    }
    boolean read = run.exitCode() == 0;
    rows.add(new Row("lambda <qualified ARN>", read, read
        ? "read " + target.qualifiedArn() + " from the emulator (AWS_ENDPOINT_URL)"
        : "exit " + run.exitCode() + ": " + firstLine(run.stderr().tail(2048))));
    if (run.exitCode() == 10) {
      rows.add(new Row("AWS_ENDPOINT_URL", false, "the binary ignores it (exit 10 reading the function): the"
          + " scan of the same code from a local folder (rootfs) follows; on AWS, lambda reads the real function"));
      Path code = Files.createDirectories(work.resolve("code"));
      Files.writeString(code.resolve("index.py"), "def handler(event, context):\n    return event\n");
      WorkDir.delete(output);
      Files.createDirectories(output);
      List<String> local = new ArrayList<>(command.subList(0, command.indexOf("lambda")));
      local.addAll(List.of("rootfs", code.toString()));
      run = ScannerProcess.run(local, env, work, Duration.ofSeconds(180));
      rows.add(new Row("rootfs <function code>", run.exitCode() == 0,
          run.exitCode() == 0 ? "scanned" : "exit " + run.exitCode() + ": " + firstLine(run.stderr().tail(2048))));
    }
    rows.addAll(outputs(output, config));
    return rows;
  }

  /** The files Run QScanner reads, where its parsers look for them. */
  private static List<Row> outputs(Path output, Config config) {
    List<Row> rows = new ArrayList<>();
    var scanResult =
        Files.isDirectory(output) ? ReportParser.find(output, "ScanResult.json") : java.util.Optional.<Path>empty();
    if (scanResult.isEmpty()) {
      rows.add(new Row("<id>-ScanResult.json", false, "not written to --output-dir"));
    } else {
      ReportParser.ScanResultSummary summary = ReportParser.parseScanResult(scanResult.get());
      rows.add(new Row("<id>-ScanResult.json", summary.problem() == null && summary.scannerVersion() != null,
          summary.problem() != null ? summary.problem()
              : summary.scannerVersion() == null ? "no QScannerVersion in it"
              : "QScannerVersion " + summary.scannerVersion()));
    }
    for (String format : config.sbomFormats()) {
      String suffix = "ScanResult." + format + ".json";
      boolean found = Files.isDirectory(output) && ReportParser.find(output, suffix).isPresent();
      rows.add(new Row("<id>-" + suffix, found, found ? "written (--format " + format + ")" : "not written"));
    }
    return rows;
  }

  /** Run QScanner's command line as inventory-only (no Qualys call) and offline (no java-db download). */
  static List<String> inventoryOnly(List<String> command) {
    List<String> out = new ArrayList<>(command);
    out.set(out.indexOf("--mode") + 1, "inventory-only");
    out.add(out.indexOf("lambda"), "--offline-scan=true");
    return out;
  }

  /** The flag a refusal (exit 2) names, when it is one of the command's. */
  static String refusedFlag(List<String> command, String stderr) {
    List<String> flags = flagsOf(command);
    Matcher m = UNKNOWN_FLAG.matcher(stderr);
    while (m.find()) {
      if (flags.contains(m.group(1))) {
        return m.group(1);
      }
    }
    return null;
  }

  private static List<String> flagsOf(List<String> command) {
    return command.stream().filter(a -> a.startsWith("--")).map(a -> a.split("=", 2)[0]).distinct().toList();
  }

  /** The command without a flag (and its value, unless given as {@code --flag=value}). */
  static List<String> without(List<String> command, String flag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg.equals(flag)) {
        i++;
      } else if (!arg.startsWith(flag + "=")) {
        out.add(arg);
      }
    }
    return out;
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    String line = newline < 0 ? stripped : stripped.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** As Run QScanner builds it (nothing of this JVM's environment), plus the emulator's endpoint. */
  private static Map<String, String> childEnvironment(Path work, java.net.URI endpoint, AwsCredentials credentials)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", Files.createDirectories(work.resolve("home")).toString());
    env.put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
    env.put("PATH", RunQScanner.PATH);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", credentials == null ? "testing" : credentials.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", credentials == null ? "testing" : credentials.secretAccessKey());
    if (credentials instanceof AwsSessionCredentials session) {
      env.put("AWS_SESSION_TOKEN", session.sessionToken());
    }
    if (endpoint != null) {
      env.put("AWS_ENDPOINT_URL", endpoint.toString());
    }
    return env;
  }

  /** A small Python function with a published version in the emulator. */
  private static Target emulatorFunction(MotoServer moto, Path work) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    try (LambdaClient lambda = LambdaClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).build()) {
      String role = moto.createLambdaRole("check-scanner-" + UUID.randomUUID().toString().substring(0, 8), "testing",
          ACCOUNT);
      String name = "check-scanner-fn-" + UUID.randomUUID().toString().substring(0, 8);
      lambda.createFunction(b -> b.functionName(name).role(role).runtime("python3.12").handler("index.handler")
          .code(c -> c.zipFile(zip())).publish(true));
      var version = lambda.listVersionsByFunction(b -> b.functionName(name)).versions().stream()
          .filter(v -> !"$LATEST".equals(v.version())).findFirst().orElseThrow();
      String arn = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name;
      return new Target("aws", ACCOUNT, "us-east-1", name, arn, version.version(), PackageType.ZIP, "python3.12",
          List.of("x86_64"), version.codeSha256(), null, null, List.of(), "Active");
    }
  }

  private static SdkBytes zip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("index.py"));
      out.write("def handler(event, context):\n    return event\n".getBytes());
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }
}
