package com.qualys.lambdascanner.common.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.Decision;
import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.TaskError;
import com.qualys.lambdascanner.common.secret.Redactor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the {@link ResultRecord} from Store Results' and Notify's input. Pure: the same request and clock give
 * the same record, so Store Results and Notify describe an execution alike. Everything taken from an error or
 * a free-text field is redacted and bounded here, once, before anything stores or publishes it.
 */
public final class ResultRecordBuilder {

  /** Errors are for people to read; a few lines say what happened, a megabyte of output does not. */
  public static final int MAX_ERROR_MESSAGE_CHARS = 2048;

  /** Reasons are one-liners (they become e-mail subjects and console columns). */
  public static final int MAX_REASON_CHARS = 512;

  private static final int MAX_ERROR_TYPE_CHARS = 256;

  private static final String TRUNCATED = "...";

  /** Safe in an S3 key: execution names and UUIDs fit, path tricks do not. */
  private static final Pattern SCAN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** A Java stack frame, a "... 3 more" line, or a Python/Node frame in a plain-text cause. */
  private static final Pattern STACK_LINE =
      Pattern.compile("^\\s*(at\\s+\\S+.*|\\.\\.\\.\\s*\\d+\\s+more|File \".*\", line \\d+.*)$");

  private static final ObjectMapper CAUSE_READER = new ObjectMapper();

  private final Redactor redactor;

  public ResultRecordBuilder() {
    this(Redactor.patternsOnly());
  }

  /** With a redactor that also knows exact secret values, where the caller has them. */
  public ResultRecordBuilder(Redactor redactor) {
    this.redactor = redactor;
  }

  public ResultRecord build(RecordRequest request, Instant now) {
    if (request == null || request.ending() == null) {
      throw new InvalidInputException("ending is missing; expected SCANNED, SKIPPED, FAILED or TIMED_OUT");
    }
    PipelineState state =
        request.state() != null
            ? request.state()
            : new PipelineState(null, null, null, null, null, null, null, null, null);
    // A scan result in the state is this execution's own (Run QScanner is the only step that sets it): keep it
    // even when a later step failed, so the record still says what the scan found.
    ScanResult scan = state.scan();
    RecordStatus status = status(request.ending(), scan);
    SeverityCounts counts = scan == null ? SeverityCounts.NONE : scan.counts();
    Decision decision = state.decision();

    return new ResultRecord(
        ResultRecord.SCHEMA_VERSION,
        scanId(state.scanId(), request.executionArn()),
        request.executionArn(),
        status,
        status == RecordStatus.SKIPPED && decision != null ? decision.reason() : null,
        reason(status, decision, scan, state.error()),
        state.target(),
        state.trigger(),
        scannerInfo(state, scan),
        timings(state, scan, now),
        counts,
        counts.highest(),
        scan == null ? null : policyResult(scan),
        scan == null ? List.of() : scan.topFindings(),
        scan == null ? 0 : scan.secretsFound(),
        scan == null ? null : scan.reportBucket(),
        scan == null ? List.of() : scan.reportKeys(),
        error(status, state.error()),
        scan == null ? null : scan.qualys(),
        scan == null ? null : scan.findingsIndexKey(),
        null,
        null,
        scan == null ? null : Sbom.among(scan.reportKeys()),
        null,
        null,
        exposure(state.exposure()),
        null);
  }

  /** Resolve Target's facts, their text redacted (a policy's Sid or principal is attacker-written). */
  private Exposure exposure(Exposure exposure) {
    if (exposure == null) {
      return null;
    }
    return new Exposure(redacted(exposure.publicUrl()), redacted(exposure.publicInvoke()),
        redacted(exposure.crossAccountInvoke()), redacted(exposure.adminRole()),
        redacted(exposure.deprecatedRuntime()));
  }

  private ExposureFact redacted(ExposureFact fact) {
    return new ExposureFact(fact.answer(), redactor.redact(fact.reason()),
        fact.evidence().stream().map(redactor::redact).toList());
  }

  /** The scan id, or the execution's name when Resolve Target never ran (it failed, or the input was raw). */
  static String scanId(String fromState, String executionArn) {
    String id = fromState;
    if (id == null || id.isBlank()) {
      id = executionName(executionArn);
    }
    if (id == null) {
      throw new InvalidInputException("scanId is missing and executionArn names no execution");
    }
    if (!SCAN_ID.matcher(id).matches()) {
      throw new InvalidInputException("scanId must be 1 to 128 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  /** {@code arn:aws:states:region:account:execution:stateMachine:name} (express executions add a segment). */
  static String executionName(String executionArn) {
    if (executionArn == null) {
      return null;
    }
    String[] parts = executionArn.split(":");
    if (parts.length < 8 || !"states".equals(parts[2])
        || !("execution".equals(parts[5]) || "express".equals(parts[5]))) {
      return null;
    }
    String name = parts[parts.length - ("express".equals(parts[5]) && parts.length > 8 ? 2 : 1)];
    return name.isBlank() ? null : name;
  }

  static RecordStatus status(Ending ending, ScanResult scan) {
    return switch (ending) {
      case SKIPPED -> RecordStatus.SKIPPED;
      case FAILED -> RecordStatus.FAILED;
      case TIMED_OUT -> RecordStatus.TIMED_OUT;
      case SCANNED -> {
        if (scan == null || scan.outcome() == null) {
          // The state machine only says SCANNED after Run QScanner returned; without its result this
          // execution cannot claim a clean scan.
          yield RecordStatus.FAILED;
        }
        yield switch (scan.outcome()) {
          case COMPLETED, POLICY_ALLOW -> RecordStatus.SUCCEEDED;
          case POLICY_AUDIT -> RecordStatus.POLICY_AUDIT;
          case POLICY_DENY -> RecordStatus.POLICY_DENY;
          case PARTIAL -> RecordStatus.PARTIAL;
          case CODE_CHANGED -> RecordStatus.CODE_CHANGED;
        };
      }
    };
  }

  private static PolicyResult policyResult(ScanResult scan) {
    if (scan.outcome() == null) {
      return null;
    }
    return switch (scan.outcome()) {
      case POLICY_ALLOW -> PolicyResult.ALLOW;
      case POLICY_AUDIT -> PolicyResult.AUDIT;
      case POLICY_DENY -> PolicyResult.DENY;
      case COMPLETED, PARTIAL, CODE_CHANGED -> null;
    };
  }

  private String reason(RecordStatus status, Decision decision, ScanResult scan, TaskError error) {
    String text =
        switch (status) {
          case SKIPPED -> {
            if (decision == null) {
              yield null;
            }
            String detail = decision.detail();
            yield detail == null || detail.isBlank()
                ? (decision.reason() == null ? null : decision.reason().name())
                : detail;
          }
          case FAILED, TIMED_OUT -> {
            if (error == null) {
              yield status == RecordStatus.TIMED_OUT
                  ? "the scan did not finish within its time budget"
                  : scan == null ? "the scan returned no result" : null;
            }
            String message = errorMessage(error.cause());
            String name = simpleName(error.error());
            String firstLine = message == null ? null : message.lines().findFirst().orElse(null);
            yield firstLine == null || firstLine.isBlank() ? name : name + ": " + firstLine;
          }
          default -> scan == null ? null : scan.message();
        };
    return bound(redactor.redact(text), MAX_REASON_CHARS);
  }

  private RecordError error(RecordStatus status, TaskError error) {
    if (error == null || (status != RecordStatus.FAILED && status != RecordStatus.TIMED_OUT)) {
      return null;
    }
    String type = error.error() == null || error.error().isBlank() ? "Unknown" : error.error();
    return new RecordError(
        bound(redactor.redact(type), MAX_ERROR_TYPE_CHARS),
        bound(redactor.redact(errorMessage(error.cause())), MAX_ERROR_MESSAGE_CHARS));
  }

  /**
   * The message of a Catch's Cause: for a Lambda error the Cause is the function's JSON error document
   * ({@code errorType}, {@code errorMessage}, {@code stackTrace}) of which only the message is kept; anything
   * else (a States.* cause) is plain text, kept without stack-trace lines.
   */
  static String errorMessage(String cause) {
    if (cause == null || cause.isBlank()) {
      return null;
    }
    String trimmed = cause.strip();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode node = CAUSE_READER.readTree(trimmed);
        if (node != null && node.isObject()) {
          JsonNode message = node.get("errorMessage");
          if (message != null && message.isTextual()) {
            return withoutStackLines(message.asText());
          }
          JsonNode type = node.get("errorType");
          return type != null && type.isTextual() ? type.asText() : null;
        }
      } catch (java.io.IOException notJson) {
        // A plain-text cause that happens to start with a brace: keep it as text.
      }
    }
    return withoutStackLines(trimmed);
  }

  private static String withoutStackLines(String text) {
    List<String> kept = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (!STACK_LINE.matcher(line).matches()) {
        kept.add(line);
      }
    }
    String joined = String.join("\n", kept).strip();
    return joined.isEmpty() ? null : joined;
  }

  private static String simpleName(String errorName) {
    if (errorName == null || errorName.isBlank()) {
      return "Unknown";
    }
    // com.example.FooException -> FooException; States.Timeout and Lambda.Unknown read well as they are.
    if (errorName.startsWith("States.") || errorName.startsWith("Lambda.")) {
      return errorName;
    }
    int dot = errorName.lastIndexOf('.');
    return dot >= 0 && dot < errorName.length() - 1 ? errorName.substring(dot + 1) : errorName;
  }

  private static ScannerInfo scannerInfo(PipelineState state, ScanResult scan) {
    String pod = state.credentials() == null ? null : state.credentials().pod();
    if (scan == null && pod == null) {
      return null;
    }
    return new ScannerInfo(
        scan == null ? null : scan.scannerVersion(), pod, scan == null ? null : scan.mode(),
        scan != null && scan.findingsUnmapped(), scan == null ? null : scan.javaDb(),
        scan == null ? null : scan.lambdaTarget());
  }

  private static Timings timings(PipelineState state, ScanResult scan, Instant now) {
    Instant triggeredAt = state.trigger() == null ? null : parseInstant(state.trigger().eventTime());
    Instant startedAt = scan == null ? null : scan.startedAt();
    Instant finishedAt = scan == null ? null : scan.finishedAt();
    Long durationMs =
        startedAt != null && finishedAt != null && !finishedAt.isBefore(startedAt)
            ? finishedAt.toEpochMilli() - startedAt.toEpochMilli()
            : null;
    return new Timings(triggeredAt, startedAt, finishedAt, durationMs, now);
  }

  static Instant parseInstant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String bound(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = maxChars - TRUNCATED.length();
    // Never cut a surrogate pair in half: the rest of the pipeline writes UTF-8.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + TRUNCATED;
  }
}
