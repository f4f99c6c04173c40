package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.QualysLocator;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import com.qualys.lambdascanner.common.secret.SecretFinder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Run QScanner makes of a finished qscanner run: the outcome its exit code means, or the exception the state
 * machine routes on; the reports read through their masked copies ({@link MaskedReports}) and uploaded; the findings
 * index; the "qscanner finished" log line.
 */
final class ScanConclusion {

  /** What of stderr goes into a message or a log line: enough to diagnose, small enough for the state. */
  static final int MESSAGE_TAIL_CHARS = 2048;

  private final Config config;
  private final ReportUploader uploader;
  private final StructuredLog log;

  ScanConclusion(Config config, ReportUploader uploader, StructuredLog log) {
    this.config = config;
    this.uploader = uploader;
    this.log = log;
  }

  /**
   * The scan's result from qscanner's exit code and its reports (read masked, then uploaded); an exit code that
   * means the scan did not run is thrown as the exception the state machine routes on.
   */
  ScanResult conclude(
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
    String reportSuffix = "sarif".equals(config.reportFormat()) ? "Report.sarif.json" : "Report.json";
    MaskedReports read =
        MaskedReports.read(SecretFinder.of(secretValues), work.output(), reports, reportSuffix, exit == 40);
    ReportParser.ReportSummary report = read.report();
    List<String> problems = new ArrayList<>();
    if (exit == 40) {
      problems.add("qscanner could not get the vulnerability report (exit 40): inventory only");
    }
    if (read.scanResult().problem() != null) {
      problems.add(read.scanResult().problem());
    }
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
        read.reportFile().isEmpty()
            ? null
            : uploader.uploadIndex(config.resultsBucket(), prefix, FindingsIndexWriter.write(work.root(), read.findings()));
    QualysLocator qualys =
        ReportParser.find(reports, "ScanResult.json").map(ImageMetadataReader::read).orElse(null);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("exitCode", exit);
    fields.put("outcome", outcome.name());
    fields.put("durationMs", run.duration().toMillis());
    fields.put("findings", report.findings());
    fields.put("reports", reportKeys.size());
    if (read.maskedSecrets() > 0) {
      fields.put("maskedSecretsInReports", read.maskedSecrets());
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
        read.scanResult().scannerVersion(),
        config.mode(),
        report.counts(),
        read.scanResult().secretsFound(),
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
}
