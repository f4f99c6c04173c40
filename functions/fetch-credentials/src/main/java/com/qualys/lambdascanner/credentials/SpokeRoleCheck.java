package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeRole;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Which role Run QScanner reads a target with, checked before the scan starts. {@link SpokeAccess} decides (no role
 * for a target in this function's own account and region, the spoke role in hub mode, a refusal in single-account
 * mode); this class assumes the spoke role once, with the shortest session STS allows, to prove the spoke is set up,
 * and drops the credentials on the spot: only the role ARN goes on, Run QScanner assumes the role itself.
 */
@Singleton
public final class SpokeRoleCheck {

  /** STS's minimum: the credentials are never used, so they should expire as soon as possible. */
  static final Duration VALIDATION_SESSION = SpokeAccess.MIN_SESSION;

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern PARTITION = Pattern.compile("aws|aws-cn|aws-us-gov");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d");

  private final SpokeAccess spokes;
  private final StructuredLog log;

  /** @param sts an STS client with the function's own credentials, in its own region */
  @Inject
  public SpokeRoleCheck(StsClient sts, FetchCredentialsConfig config, StructuredLog log) {
    this.spokes = new SpokeAccess(config.spoke(), config.region(), sts);
    this.log = log;
  }

  /**
   * The role Run QScanner must assume to read this target, after checking it can be assumed.
   *
   * @param scanId names the validation session, so the spoke's CloudTrail links it to the execution
   * @param target the resolved target; null (a request that names none) checks nothing
   * @return the spoke role's ARN, or null when the target is in this function's own account and region
   * @throws InvalidInputException the target's account, partition or region is missing or malformed
   * @throws TerminalException single-account mode and a target elsewhere; another partition; the spoke role
   *     denied (with the hint); any other STS error that will not fix itself
   * @throws RetryableException STS throttling, 5xx, network
   */
  public String roleArnFor(String scanId, Target target) {
    if (target == null) {
      return null;
    }
    check(target);
    SpokeRole role = spokes.roleFor(target.partition(), target.accountId(), target.region(), describe(target));
    if (role == null) {
      return null;
    }
    // For its verdict only: the credentials are not even kept in a variable.
    spokes.assume(role, scanId, VALIDATION_SESSION);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("roleArn", role.arn());
    fields.put("targetAccount", target.accountId());
    fields.put("targetRegion", target.region());
    fields.put("roleSessionName", SpokeAccess.sessionName(scanId));
    log.info("spoke role validated", scanId, fields);
    return role.arn();
  }

  /** The fields that make a role ARN: checked, so a forged input cannot shape the ARN or the messages. */
  private static void check(Target target) {
    if (target.accountId() == null || !ACCOUNT.matcher(target.accountId()).matches()) {
      throw new InvalidInputException("target.accountId is missing or not a 12-digit AWS account id");
    }
    if (target.partition() == null || !PARTITION.matcher(target.partition()).matches()) {
      throw new InvalidInputException("target.partition is missing or not one of aws, aws-cn, aws-us-gov");
    }
    if (target.region() == null || !REGION.matcher(target.region()).matches()) {
      throw new InvalidInputException("target.region is missing or not an AWS region");
    }
  }

  private static String describe(Target target) {
    return target.functionArn() != null
        ? target.functionArn()
        : target.functionName() + " in " + target.region();
  }
}
