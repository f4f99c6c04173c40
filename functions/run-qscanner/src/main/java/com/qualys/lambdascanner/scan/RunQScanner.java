package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final Config config;
  private final QualysSecretReader secrets;
  private final ScannerCredentials scannerCredentials;
  private final RegistryLogin registryLogin;
  private final ReportUploader uploader;
  private final CodeChangeCheck codeCheck;
  private final JavaDbCache javaDb;
  private final StructuredLog log;
  private final SecretGuard guard;
  private final ScanConclusion conclusion;

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
    this.javaDb = new JavaDbCache(config.workRoot(), config.javaDbCache());
    this.log = log;
    this.guard = guard;
    this.conclusion = new ScanConclusion(config, uploader, log);
  }

  /**
   * Scans the request's target.
   *
   * @param request the state input
   * @param remainingMillis the invocation's remaining time ({@code Context.getRemainingTimeInMillis()})
   */
  public ScanResult scan(ScanRequest request, long remainingMillis) {
    String scanId = ScanRequests.scanId(request);
    Target target = ScanRequests.target(request.target());
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
      Map<String, String> env = ScanRequests.environment(auth, aws, registryEnv, arn, work);
      boolean readsJars = JavaDbCache.used(config.scanTypes());
      Instant lentAt = Instant.now();
      boolean javaDbFresh = readsJars && javaDb.lend(work.cache(), lentAt);
      QScannerCommand.Run plan =
          new QScannerCommand.Run(scanTimeout, work.output(), work.cache(), javaDbFresh, false);
      Instant startedAt = Instant.now();
      Runs runs;
      JavaDbCache.Source javaDbSource;
      try {
        runs = runQScanner(scanId, request, target, plan, env, work, redactor, aws, startedAt);
      } finally {
        // Also after a timeout or a failure: java-db is kept for the next scan whatever became of this one.
        javaDbSource = readsJars ? javaDb.settle(work.cache(), javaDbFresh, lentAt) : null;
      }
      ProcessResult run = runs.run();
      if (javaDbSource == JavaDbCache.Source.OFFLINE && ExitCodes.outcome(run.exitCode(), config.mode()) != null) {
        log.warn("java-db unavailable", scanId, Map.of("problem", "qscanner could not download its Java index "
            + "database and fell back to offline mode: Java packages are identified far worse (docs/"
            + "qscanner-integration.md#java-db: give the function internet access or a mirror)"));
      }
      Instant finishedAt = Instant.now();
      ScanResult result = conclusion.conclude(scanId, arn, run, startedAt, finishedAt, redactor, secretValues, work);
      String changed = CodeChangeCheck.afterScan(target, before, codeCheck.read(target, aws));
      if (changed == null && runs.latestBefore() != null) {
        changed = CodeChangeCheck.afterScan(target, runs.latestBefore(), codeCheck.read(latest(target), aws));
      }
      result = changed == null ? result : codeChanged(scanId, result, changed);
      String lambdaTarget =
          target.packageType() == PackageType.IMAGE ? null : runs.plan().unqualified() ? "UNQUALIFIED" : "QUALIFIED";
      return withScanConditions(result, javaDbSource == null ? null : javaDbSource.name(), lambdaTarget);
    }
  }

  /** The last run of qscanner, the plan it ran with, and {@code $LATEST}'s code when the fallback ran. */
  private record Runs(ProcessResult run, QScannerCommand.Run plan, TargetCode.CodeState latestBefore) {}

  /**
   * Runs qscanner; once more on the unqualified ARN when the binary refused the qualified one. QScanner's README
   * ("Commands", lambda) shows a function name or an unqualified ARN only. The unqualified ARN scans {@code $LATEST},
   * so it stands for the resolved version only while {@code $LATEST} holds that same code: checked before the second
   * run here, and after it by the caller.
   */
  private Runs runQScanner(
      String scanId,
      ScanRequest request,
      Target target,
      QScannerCommand.Run plan,
      Map<String, String> env,
      WorkDir work,
      Redactor redactor,
      AwsCredentials aws,
      Instant startedAt) {
    ProcessResult run = runScanner(scanId, request, target, plan, env, work, redactor);
    if (!refusedQualifiedArn(target, run)) {
      return new Runs(run, plan, null);
    }
    // Exit 2 may as well be any other invalid parameter: without a safe retry, the first run's failure stands.
    TargetCode.CodeState latestBefore = codeCheck.read(latest(target), aws);
    String notTheResolvedCode = CodeChangeCheck.beforeScan(target, latestBefore);
    Duration left = plan.scanTimeout().minus(Duration.between(startedAt, Instant.now()));
    if (notTheResolvedCode != null || left.compareTo(config.minimumScanTime()) < 0) {
      log.warn("unqualified ARN not tried", scanId, Map.of("problem", notTheResolvedCode != null
          ? "$LATEST is not the resolved code: " + notTheResolvedCode : "too little time left for a second run"));
      return new Runs(run, plan, null);
    }
    work.emptyOutput();
    QScannerCommand.Run unqualified = new QScannerCommand.Run(
        Duration.ofSeconds(left.toSeconds()), plan.outputDir(), plan.cacheDir(), plan.javaDbFresh(), true);
    return new Runs(runScanner(scanId, request, target, unqualified, env, work, redactor), unqualified, latestBefore);
  }

  /** Runs qscanner once; a run past its budget has its process tree killed and ends in ScanTimeoutException. */
  private ProcessResult runScanner(
      String scanId,
      ScanRequest request,
      Target target,
      QScannerCommand.Run plan,
      Map<String, String> env,
      WorkDir work,
      Redactor redactor) {
    List<String> command = QScannerCommand.build(config, target, request.credentials().pod(), plan);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("command", redactor.redact(String.join(" ", command)));
    fields.put("scanTimeoutSeconds", plan.scanTimeout().toSeconds());
    fields.put("mode", config.mode());
    if (request.credentials().roleArn() != null) {
      fields.put("assumedRole", request.credentials().roleArn());
    }
    log.info("qscanner starting", scanId, fields);
    Instant startedAt = Instant.now();
    try {
      return ScannerProcess.run(command, env, work.root(), plan.scanTimeout().plus(config.killGrace()));
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
  }

  /** Exit 2 (invalid parameter) on the qualified ARN of a published version: the form may be what was refused. */
  private static boolean refusedQualifiedArn(Target target, ProcessResult run) {
    return run.exitCode() == 2
        && target.packageType() != PackageType.IMAGE
        && !target.qualifiedArn().equals(target.functionArn());
  }

  private static Target latest(Target t) {
    return new Target(t.partition(), t.accountId(), t.region(), t.functionName(), t.functionArn(), "$LATEST",
        t.packageType(), t.runtime(), t.architectures(), t.codeSha256(), t.imageUri(), t.imageDigest(), t.layers(),
        t.state());
  }

  private static ScanResult withScanConditions(ScanResult r, String javaDb, String lambdaTarget) {
    return new ScanResult(r.outcome(), r.exitCode(), r.scannerVersion(), r.mode(), r.counts(), r.secretsFound(),
        r.topFindings(), r.reportBucket(), r.reportKeys(), r.startedAt(), r.finishedAt(), r.message(), r.qualys(),
        r.findingsIndexKey(), r.findingsUnmapped(), javaDb, lambdaTarget);
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
}
