package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.record.ResultRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Optional ({@code QUARANTINE_ON_DENY}, off by default): when the policy verdict is DENY, stops the function
 * from running without deleting anything: reserved concurrency 0, and tags saying why and when (with the
 * concurrency it had, so that the release command restores it). Only functions of this function's own account
 * and region, never one of the scanner's own functions, recognised by name ({@code SCANNER_FUNCTION_NAMES} plus this
 * function's {@code AWS_LAMBDA_FUNCTION_NAME}), not by a tag a tenant can set to evade quarantine. Resolve Target
 * skips them already (SELF); checked again here, and denied by IAM. Never throws: what happened goes into the record.
 */
public final class Quarantine {

  public static final String QUARANTINED_KEY = FunctionTagger.PREFIX + "quarantined";
  public static final String REASON_KEY = FunctionTagger.PREFIX + "quarantine-reason";
  public static final String PREVIOUS_KEY = FunctionTagger.PREFIX + "previous-concurrency";

  private final boolean enabled;
  private final Supplier<LambdaClient> lambda;
  private final String ownRegion;
  private final Supplier<String> ownAccount;
  private final Set<String> ownFunctionNames;
  private final StructuredLog log;

  /** @param ownFunctionNames the scanner's own functions in this account and region, by name */
  public Quarantine(boolean enabled, Supplier<LambdaClient> lambda, String ownRegion, Supplier<String> ownAccount,
      Set<String> ownFunctionNames, StructuredLog log) {
    this.enabled = enabled;
    this.lambda = lambda;
    this.ownRegion = ownRegion;
    this.ownAccount = ownAccount;
    this.ownFunctionNames = Set.copyOf(ownFunctionNames);
    this.log = log;
  }

  public static Quarantine disabled(StructuredLog log) {
    return new Quarantine(false, () -> null, null, () -> null, Set.of(), log);
  }

  /** What quarantining the record's function did, or null when it is off or the verdict is not DENY. */
  public QuarantineResult apply(ResultRecord record) {
    if (!enabled || record.status() != RecordStatus.POLICY_DENY || record.target() == null) {
      return null;
    }
    String arn;
    try {
      arn = FunctionTagger.taggableArn(record, ownAccount.get(), ownRegion);
    } catch (RuntimeException e) {
      return failed(record, "own account unknown: " + e.getClass().getSimpleName());
    }
    if (arn == null) {
      return new QuarantineResult(QuarantineResult.ELSEWHERE, null, null, null,
          "not in this scanner's account and region");
    }
    if (ownFunctionNames.contains(arn.substring(arn.lastIndexOf(':') + 1))) {
      log.warn("a DENY for one of the scanner's own functions: not quarantined", record.scanId(),
          Map.of("functionArn", arn));
      return new QuarantineResult(QuarantineResult.REFUSED_OWN_FUNCTION, null, null, null,
          "one of the scanner's own functions");
    }
    try {
      LambdaClient client = lambda.get();
      Integer previous = client.getFunctionConcurrency(b -> b.functionName(arn)).reservedConcurrentExecutions();
      String at = FunctionTagger.timeValue(record.timings().recordedAt());
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(QUARANTINED_KEY, at);
      tags.put(REASON_KEY, "POLICY_DENY scan " + record.scanId());
      tags.put(PREVIOUS_KEY, previous == null ? "none" : previous.toString());
      // Tags first: a function at concurrency 0 always says why.
      tags.replaceAll((key, value) -> log.guard().redact(value));
      client.tagResource(b -> b.resource(arn).tags(tags));
      client.putFunctionConcurrency(b -> b.functionName(arn).reservedConcurrentExecutions(0));
      log.info("function quarantined: reserved concurrency 0", record.scanId(),
          Map.of("functionArn", arn, "previousReservedConcurrency", previous == null ? "none" : previous));
      return new QuarantineResult(QuarantineResult.QUARANTINED, at, previous, releaseCommand(arn, previous), null);
    } catch (SdkException e) {
      String code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
          ? aws.awsErrorDetails().errorCode()
          : e.getClass().getSimpleName();
      return failed(record, code);
    }
  }

  /** Restores what the function had (no reserved concurrency, or its old value) and removes the tags. */
  static String releaseCommand(String arn, Integer previous) {
    String concurrency = previous == null
        ? "aws lambda delete-function-concurrency --function-name " + arn
        : "aws lambda put-function-concurrency --function-name " + arn + " --reserved-concurrent-executions " + previous;
    return concurrency + " && aws lambda untag-resource --resource " + arn + " --tag-keys "
        + QUARANTINED_KEY + " " + REASON_KEY + " " + PREVIOUS_KEY;
  }

  private QuarantineResult failed(ResultRecord record, String code) {
    log.warn("cannot quarantine the denied function; the record says so", record.scanId(),
        Map.of("functionArn", String.valueOf(record.target().functionArn()), "errorCode", String.valueOf(code)));
    return new QuarantineResult(QuarantineResult.FAILED, null, null, null, code);
  }
}
