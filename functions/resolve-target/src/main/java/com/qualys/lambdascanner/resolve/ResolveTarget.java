package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Decision;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.resolve.exposure.ExposureReader;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.inject.Inject;

/**
 * Turns the execution input into a precise target and a decision: scan, or skip with a reason. Order: read
 * the input (unsupported and failed calls stop here, before any AWS call); describe the function; skip the
 * scanner's own functions (by identity, {@link ExclusionPolicy}), then the excluded ones; claim the dedup key, and
 * only for a scan; then, for a scan only, read the function's exposure ({@link ExposureReader}) with the same access
 * as the describe.
 */
public final class ResolveTarget {

  /** Step Functions execution names, restricted to what is safe in an S3 key and a log line. */
  private static final Pattern EXECUTION_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}");

  private final Config config;
  private final FunctionDescriber describer;
  private final ExposureReader exposure;
  private final ClaimStore claims;
  private final StructuredLog log;
  private final Clock clock;
  private final InputParser parser;

  @Inject
  public ResolveTarget(
      Config config, FunctionDescriber describer, ExposureReader exposure, ClaimStore claims, StructuredLog log,
      Clock clock) {
    this.config = config;
    this.describer = describer;
    this.exposure = exposure;
    this.claims = claims;
    this.log = log;
    this.clock = clock;
    this.parser = new InputParser(config.defaultRegion());
  }

  /**
   * Resolves the input: the state machine's {@code {"event", "execution"}} wrapper, or a bare event or
   * direct request (then the scan id is a random UUID).
   */
  public ResolvedScan resolve(JsonNode input) {
    if (input == null || !input.isObject()) {
      throw new InvalidInputException("input must be a JSON object");
    }
    String scanId;
    JsonNode event;
    if (input.has("event")) {
      scanId = executionName(input.get("execution"));
      event = input.get("event");
    } else {
      scanId = UUID.randomUUID().toString();
      event = input;
    }
    Intent intent = parser.parse(event, clock.instant().toString());
    ResolvedScan resolved =
        switch (intent) {
          case Intent.Skip skip ->
              new ResolvedScan(
                  scanId,
                  skip.ref() == null ? null : undescribed(skip.ref()),
                  skip.trigger(),
                  Decision.skip(skip.reason(), skip.detail()),
                  null);
          case Intent.Resolve request -> resolve(scanId, request);
        };
    logDecision(resolved);
    return resolved;
  }

  private ResolvedScan resolve(String scanId, Intent.Resolve request) {
    FunctionRef ref = request.ref();
    Optional<FunctionDescription> described = describer.describe(ref, scanId);
    if (described.isEmpty()) {
      return new ResolvedScan(
          scanId,
          undescribed(ref),
          request.trigger(),
          Decision.skip(
              SkipReason.NOT_FOUND,
              ref.qualifier() == null
                  ? "the function does not exist (deleted since the event?)"
                  : "the function or its version " + ref.qualifier() + " does not exist"),
          null);
    }
    FunctionDescription description = described.get();
    Target target = target(ref, description);
    String dedupKey = DedupKey.of(target);
    Decision decision = exclusion(target, description.tags());
    if (decision == null) {
      decision = claim(dedupKey, scanId, request.force());
    }
    Exposure facts =
        decision.action() == Decision.Action.SCAN ? exposure.read(ref, description, scanId) : null;
    return new ResolvedScan(scanId, target, request.trigger(), decision, dedupKey, facts);
  }

  /**
   * Self first (never scan the scanner: this stack's own functions, by name in its own account and region; a tag
   * would let anyone opt out), then the opt-out tag where the policy honours it, then the name pattern. A tag the
   * policy does not honour is ignored: the function is scanned.
   */
  private Decision exclusion(Target target, Map<String, String> tags) {
    ExclusionPolicy policy = config.exclusions();
    if (policy.isScanner(target)) {
      return Decision.skip(SkipReason.SELF, "the function is one of this scanner's own functions");
    }
    String excludeValue = tags.get(config.excludeTagKey());
    if (excludeValue != null
        && "false".equalsIgnoreCase(excludeValue.strip())
        && policy.honoursOptOut(target.accountId())) {
      return Decision.skip(
          SkipReason.EXCLUDED_BY_TAG,
          "the function's owner opted it out (tag " + config.excludeTagKey() + "=false), honoured by policy");
    }
    String functionName = target.functionName();
    if (config.excludeNamePattern() != null && config.excludeNamePattern().matcher(functionName).find()) {
      return Decision.skip(SkipReason.EXCLUDED_BY_NAME, "the function name matches EXCLUDE_NAME_PATTERN");
    }
    return null;
  }

  private Decision claim(String dedupKey, String scanId, boolean force) {
    ClaimStore.ClaimOutcome outcome = claims.claim(dedupKey, scanId, force);
    if (outcome.won()) {
      return Decision.scan();
    }
    String detail =
        "COMPLETED".equals(outcome.holderStatus())
            ? "this code was already scanned (scan " + orUnknown(outcome.holder()) + ")"
            : "this code is being scanned (scan " + orUnknown(outcome.holder()) + ")";
    return Decision.skip(SkipReason.DUPLICATE, detail);
  }

  private static Target target(FunctionRef ref, FunctionDescription description) {
    LambdaArn arn;
    try {
      arn = LambdaArn.parse(description.functionArn());
    } catch (InvalidInputException e) {
      throw new TerminalException("Lambda answered with a function ARN that is not valid");
    }
    boolean same =
        arn.functionName().equals(ref.functionName())
            && arn.region().equals(ref.region())
            && arn.partition().equals(ref.partition())
            && (ref.accountId() == null || arn.accountId().equals(ref.accountId()));
    if (!same) {
      throw new TerminalException("Lambda described another function than the one requested");
    }
    String version = description.version() != null ? description.version() : arn.qualifier();
    return new Target(
        arn.partition(),
        arn.accountId(),
        arn.region(),
        arn.functionName(),
        arn.unqualified(),
        version == null ? "$LATEST" : version,
        "Image".equals(description.packageType()) ? PackageType.IMAGE : PackageType.ZIP,
        description.runtime(),
        description.architectures(),
        description.codeSha256(),
        description.imageUri(),
        description.resolvedImageUri(),
        description.layers(),
        description.state(),
        description.codeKmsKeyArn());
  }

  /** What is known of a function that was not described: its identity only. */
  private static Target undescribed(FunctionRef ref) {
    return new Target(
        ref.partition(),
        ref.accountId(),
        ref.region(),
        ref.functionName(),
        ref.unqualifiedArn(),
        ref.qualifier() == null ? "$LATEST" : ref.qualifier(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static String executionName(JsonNode execution) {
    if (execution == null || !execution.isObject()) {
      throw new InvalidInputException("execution must be an object naming the execution");
    }
    JsonNode name = execution.get("name");
    if (name == null || !name.isTextual() || !EXECUTION_NAME.matcher(name.asText()).matches()) {
      throw new InvalidInputException(
          "execution.name must be 1 to 80 letters, digits, '.', '_' or '-' (it becomes the scan id)");
    }
    return name.asText();
  }

  private void logDecision(ResolvedScan resolved) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("action", resolved.decision().action());
    fields.put("reason", resolved.decision().reason());
    fields.put("detail", resolved.decision().detail());
    fields.put("eventName", resolved.trigger().eventName());
    fields.put("eventId", resolved.trigger().eventId());
    Target target = resolved.target();
    fields.put(
        "function",
        target == null ? null : target.functionArn() == null ? target.functionName() : target.qualifiedArn());
    fields.put("codeSha256", target == null ? null : target.codeSha256());
    fields.put("dedupKey", resolved.dedupKey());
    Exposure facts = resolved.exposure();
    if (facts != null) {
      Map<String, Object> answers = new LinkedHashMap<>();
      answers.put("publicUrl", facts.publicUrl().answer());
      answers.put("publicInvoke", facts.publicInvoke().answer());
      answers.put("crossAccountInvoke", facts.crossAccountInvoke().answer());
      answers.put("adminRole", facts.adminRole().answer());
      answers.put("deprecatedRuntime", facts.deprecatedRuntime().answer());
      fields.put("exposure", answers);
    }
    log.info("target resolved", resolved.scanId(), fields);
  }

  private static String orUnknown(String value) {
    return value == null ? "unknown" : value;
  }
}
