package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.QualysLocator;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import com.qualys.lambdascanner.common.secret.SecretGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Runs qscanner against one target within the invocation's time budget, reads its reports, uploads them, and
 * says how the scan came out. Exit codes that mean "the scan ran" become outcomes; the others become the
 * exceptions the state machine routes on (retry, failure, timeout).
 */
public final class RunQScanner {

  /** A minimal PATH: qscanner is a static binary and needs no tools; /opt/bin is where the layer puts it. */
  static final String PATH = "/opt/bin:/usr/local/bin:/usr/bin:/bin";

  /** What of stderr goes into a message or a log line: enough to diagnose, small enough for the state. */
  static final int MESSAGE_TAIL_CHARS = 2048;

  /** Execution names and UUIDs: safe as one S3 key segment. */
  private static final Pattern SCAN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private final Config config;
  private final QualysSecretReader secrets;
  private final ScannerCredentials scannerCredentials;
  private final RegistryLogin registryLogin;
  private final ReportUploader uploader;
  private final CodeChangeCheck codeCheck;
  private final StructuredLog log;
  private final SecretGuard guard;

  @Inject
  public RunQScanner(
      Config config,
      QualysSecretReader secrets,
      ScannerCredentials scannerCredentials,
      RegistryLogin registryLogin,
      ReportUploader uploader,
      CodeChangeCheck codeCheck,
      StructuredLog log,
      SecretGuard guard) {
    this.config = config;
    this.secrets = secrets;
    this.scannerCredentials = scannerCredentials;
    this.registryLogin = registryLogin;
    this.uploader = uploader;
    this.codeCheck = codeCheck;
    this.log = log;
    this.guard = guard;
  }

  /**
   * Scans the request's target.
   *
   * @param request the state input
   * @param remainingMillis the invocation's remaining time ({@code Context.getRemainingTimeInMillis()})
   */
  public ScanResult scan(ScanRequest request, long remainingMillis) {
    String scanId = validScanId(request);
    Target target = validTarget(request.target());
    LambdaArn arn = LambdaArn.parse(target.functionArn());
    if (request.credentials() == null) {
      throw new InvalidInputException("credentials is missing");
    }
    Duration scanTimeout = budget(remainingMillis);
    // A role ARN the function would not assume is refused before any call, like a foreign secret ARN.
    scannerCredentials.check(target, request.credentials());

    QualysAuth auth = secrets.read(request.credentials());
    AwsCredentials aws =
        scannerCredentials.forTarget(scanId, target, request.credentials(), scanTimeout.plus(config.killGrace()));
    List<Secret> secretValues = new ArrayList<>(auth.secrets());
    // All three, though only the last two are secret: an access key id names whose keys they are.
    secretValues.add(new Secret("aws-access-key-id", aws.accessKeyId()));
    secretValues.add(new Secret("aws-secret-key", aws.secretAccessKey()));
    if (aws instanceof AwsSessionCredentials session) {
      secretValues.add(new Secret("aws-session-token", session.sessionToken()));
    }
    Map<String, String> registryEnv = registryLogin.environment(target, aws);
    registryEnv.forEach((name, value) -> {
      if (name.endsWith("PASSWORD")) {
        secretValues.add(new Secret("ecr-token", value));
      }
    });
    // From here on, every output, log line and error of this invocation is redacted of them (JsonCodec).
    guard.remember(secretValues);
    Redactor redactor = Redactor.of(secretValues);

    TargetCode.CodeState before = codeCheck.read(target, aws);
    String notResolved = CodeChangeCheck.beforeScan(target, before);
    if (notResolved != null) {
      log.warn("qscanner not started", scanId, Map.of("outcome", Outcome.CODE_CHANGED.name(), "problem", notResolved));
      Instant now = Instant.now();
      return new ScanResult(
          Outcome.CODE_CHANGED, -1, null, config.mode(), null, 0, null, null, null, now, now, notResolved);
    }

    try (WorkDir work = WorkDir.create(config.workRoot())) {
      List<String> command =
          QScannerCommand.build(
              config, target, request.credentials().pod(), scanTimeout, work.output(), work.cache());
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("command", redactor.redact(String.join(" ", command)));
      fields.put("scanTimeoutSeconds", scanTimeout.toSeconds());
      fields.put("mode", config.mode());
      if (request.credentials().roleArn() != null) {
        fields.put("assumedRole", request.credentials().roleArn());
      }
      log.info("qscanner starting", scanId, fields);

      Instant startedAt = Instant.now();
      ProcessResult run;
      try {
        Map<String, String> env = environment(auth, aws, registryEnv, arn, work);
        run = ScannerProcess.run(command, env, work.root(), scanTimeout.plus(config.killGrace()));
      } catch (ScanTimeoutException e) {
        log.error(
            "qscanner finished",
            scanId,
            Map.of(
                "outcome", "TIMED_OUT",
                "durationMs", Duration.between(startedAt, Instant.now()).toMillis(),
                "error", redactor.redact(e.getMessage())));
        throw e;
      }
      Instant finishedAt = Instant.now();
      ScanResult result = conclude(scanId, arn, run, startedAt, finishedAt, redactor, secretValues, work);
      String changed = CodeChangeCheck.afterScan(target, before, codeCheck.read(target, aws));
      return changed == null ? result : codeChanged(scanId, result, changed);
    }
  }

  private ScanResult conclude(
      String scanId,
      LambdaArn arn,
      ProcessResult run,
      Instant startedAt,
      Instant finishedAt,
      Redactor redactor,
      List<Secret> secretValues,
      WorkDir work) {
    int exit = run.exitCode();
    String stderrTail = tail(run.stderr(), redactor);
    Outcome outcome = ExitCodes.outcome(exit, config.mode());
    if (outcome == null) {
      String message = "qscanner exited " + exit + ": " + ExitCodes.meaning(exit) + "; stderr: " + stderrTail;
      RuntimeException failure =
          ExitCodes.retryable(exit) ? new RetryableException(message) : new TerminalException(message);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("exitCode", exit);
      fields.put("outcome", failure.getClass().getSimpleName());
      fields.put("durationMs", run.duration().toMillis());
      if (run.leftovers() > 0) {
        fields.put("leftoverProcessesStopped", run.leftovers());
      }
      fields.put("stderrTail", stderrTail);
      log.error("qscanner finished", scanId, fields);
      throw failure;
    }

    // Everything below reads the masked copies, never qscanner's own files: the findings, the index, the task output
    // and the stored reports are all made of the same scrubbed text.
    Path reports = work.upload();
    int maskedSecrets = new SecretScrubber(SecretFinder.of(secretValues)).copyAll(work.output(), reports);
    List<String> problems = new ArrayList<>();
    if (exit == 40) {
      problems.add("qscanner could not get the vulnerability report (exit 40): inventory only");
    }
    ReportParser.ScanResultSummary scanResult =
        find(reports, "ScanResult.json")
            .map(ReportParser::parseScanResult)
            .orElseGet(() -> new ReportParser.ScanResultSummary(null, 0, 0, "no ScanResult file"));
    if (scanResult.problem() != null) {
      problems.add(scanResult.problem());
    }
    String reportSuffix = "sarif".equals(config.reportFormat()) ? "Report.sarif.json" : "Report.json";
    Optional<Path> reportFile = find(reports, reportSuffix);
    List<Finding> everyFinding = new ArrayList<>();
    ReportParser.ReportSummary report =
        reportFile
            .map(file -> ReportParser.parseReport(file, f -> {
              if (everyFinding.size() <= FindingsIndex.MAX_FINDINGS) {
                everyFinding.add(f);
              }
            }))
            .orElseGet(
                () ->
                    new ReportParser.ReportSummary(
                        null, List.of(), 0, 0, exit == 40 ? null : "no " + reportSuffix + " file"));
    if (report.problem() != null) {
      problems.add(report.problem());
    }
    // A report read only in part, with results nobody could map, or a DENY with nothing understood behind it: the
    // verdict stands but is not a full one, so the claim is released (Store Results) and the code scanned again.
    boolean findingsUnmapped = report.problem() != null;
    if (outcome == Outcome.POLICY_DENY && report.findings() == 0) {
      // The scanner says the code has what a policy denies, yet nothing in the report was understood.
      problems.add("the policy denied this code but no finding in the report could be read");
      findingsUnmapped = true;
    }
    if (!problems.isEmpty() && (outcome == Outcome.COMPLETED || outcome == Outcome.POLICY_ALLOW)) {
      outcome = Outcome.PARTIAL;
    }

    String prefix =
        "reports/" + arn.accountId() + "/" + arn.region() + "/" + arn.functionName() + "/" + scanId + "/";
    List<String> reportKeys = uploader.upload(config.resultsBucket(), prefix, reports);
    String message = problems.isEmpty() ? null : redactor.redact(String.join("; ", problems));
    // Every finding, for Store Results' comparison with the previous scan; only when the report was read.
    String indexKey =
        reportFile.isEmpty()
            ? null
            : uploader.uploadIndex(config.resultsBucket(), prefix, FindingsIndexWriter.write(work.root(), everyFinding));
    QualysLocator qualys = find(reports, "ScanResult.json").map(ImageMetadataReader::read).orElse(null);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("exitCode", exit);
    fields.put("outcome", outcome.name());
    fields.put("durationMs", run.duration().toMillis());
    fields.put("findings", report.findings());
    fields.put("reports", reportKeys.size());
    if (maskedSecrets > 0) {
      fields.put("maskedSecretsInReports", maskedSecrets);
    }
    if (message != null) {
      fields.put("problem", message);
    }
    if (run.leftovers() > 0) {
      fields.put("leftoverProcessesStopped", run.leftovers());
    }
    // No stderr tail on success: it is the scanner's free text, and an INFO line is read by many (issue 12).
    log.info("qscanner finished", scanId, fields);

    return new ScanResult(
        outcome,
        exit,
        scanResult.scannerVersion(),
        config.mode(),
        report.counts(),
        scanResult.secretsFound(),
        report.topFindings(),
        config.resultsBucket(),
        reportKeys,
        startedAt,
        finishedAt,
        message,
        qualys,
        indexKey,
        findingsUnmapped);
  }

  /**
   * The scan's result, as no verdict: the findings were on code that is not the resolved code (or on a mix of old
   * and new), so none are kept; the raw reports stay in S3 for whoever wants to look.
   */
  private ScanResult codeChanged(String scanId, ScanResult scanned, String why) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("outcome", Outcome.CODE_CHANGED.name());
    fields.put("scannedOutcome", scanned.outcome().name());
    fields.put("problem", why);
    log.warn("code changed during the scan", scanId, fields);
    return new ScanResult(
        Outcome.CODE_CHANGED,
        scanned.exitCode(),
        scanned.scannerVersion(),
        scanned.mode(),
        null,
        0,
        null,
        scanned.reportBucket(),
        scanned.reportKeys(),
        scanned.startedAt(),
        scanned.finishedAt(),
        why);
  }

  /**
   * min(cap, remaining time - safety margin). The margin pays for the kill grace, parsing and the uploads; a
   * budget under the minimum is not worth starting a scan for.
   */
  Duration budget(long remainingMillis) {
    Duration left = Duration.ofMillis(remainingMillis).minus(config.safetyMargin());
    Duration timeout = left.compareTo(config.scanTimeout()) < 0 ? left : config.scanTimeout();
    timeout = Duration.ofSeconds(timeout.toSeconds());
    if (timeout.compareTo(config.minimumScanTime()) < 0) {
      throw new ScanTimeoutException(
          "only "
              + Math.max(0, timeout.toSeconds())
              + "s of scan time left (needs at least "
              + config.minimumScanTime().toSeconds()
              + "s); qscanner was not started");
    }
    return timeout;
  }

  /** The child's whole environment, built from nothing: no variable of this function leaks through. */
  private static Map<String, String> environment(
      QualysAuth auth, AwsCredentials aws, Map<String, String> registry, LambdaArn arn, WorkDir work) {
    Map<String, String> env = new LinkedHashMap<>(auth.environment());
    env.putAll(registry);
    env.put("HOME", work.home().toString());
    env.put("TMPDIR", work.tmp().toString());
    env.put("PATH", PATH);
    env.put("AWS_REGION", arn.region());
    env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
    if (aws instanceof AwsSessionCredentials session) {
      env.put("AWS_SESSION_TOKEN", session.sessionToken());
    }
    return env;
  }

  /**
   * The redacted end of a stream, at most {@link #MESSAGE_TAIL_CHARS}. Redaction runs on the whole buffered
   * tail before it is cut, so a cut never splits a secret into an unrecognisable piece; when the buffer has
   * overflowed, its first (possibly partial) line is dropped for the same reason.
   */
  static String tail(TailBuffer buffer, Redactor redactor) {
    String text = buffer.tail(ScannerProcess.TAIL_BYTES);
    if (buffer.totalBytes() > ScannerProcess.TAIL_BYTES) {
      int newline = text.indexOf('\n');
      text = newline < 0 ? "" : text.substring(newline + 1);
    }
    text = redactor.redact(text).strip();
    return text.length() <= MESSAGE_TAIL_CHARS ? text : "..." + text.substring(text.length() - MESSAGE_TAIL_CHARS);
  }

  /** The first output file named {@code <id>-<suffix>} or {@code <id>_<suffix>} (qscanner's docs use both). */
  static Optional<Path> find(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.endsWith("-" + suffix) || name.endsWith("_" + suffix);
          })
          .sorted()
          .findFirst();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static String validScanId(ScanRequest request) {
    if (request == null || request.scanId() == null || !SCAN_ID.matcher(request.scanId()).matches()) {
      throw new InvalidInputException("scanId must be 1 to 80 letters, digits, '-' or '_'");
    }
    return request.scanId();
  }

  /** The target must agree with its own ARN: the ARN is what qscanner scans and what the S3 keys are made of. */
  private static Target validTarget(Target target) {
    if (target == null) {
      throw new InvalidInputException("target is missing");
    }
    if (target.packageType() == null) {
      throw new InvalidInputException("target.packageType is missing");
    }
    LambdaArn arn = LambdaArn.parse(target.functionArn());
    if (arn.qualifier() != null) {
      throw new InvalidInputException("target.functionArn must be unqualified (the version is target.version)");
    }
    if (!arn.accountId().equals(target.accountId())
        || !arn.region().equals(target.region())
        || !arn.functionName().equals(target.functionName())) {
      throw new InvalidInputException("target.accountId, region and functionName must match target.functionArn");
    }
    return target;
  }
}
