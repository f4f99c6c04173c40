package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Which role Run QScanner reads a target with, checked before the scan starts (docs/organizations.md, "contract
 * for the Java side"). A target in this function's own account and region is read with the pipeline's own roles:
 * no role ARN. In hub mode ({@code SPOKE_ROLE_NAME} set) any other target is read through
 * {@code arn:<target partition>:iam::<target account>:role/<SPOKE_ROLE_NAME>}; this class assumes it once, with the
 * external id and the shortest session STS allows, to prove the spoke is set up, and drops the credentials on the
 * spot: only the role ARN goes on, Run QScanner assumes the role itself. Other regions of the own account count as
 * "other" too, as in Resolve Target: the pipeline's own Lambda permissions cover its own region only, and the spoke
 * stack creates the role in the hub account as well. In single-account mode any other target is refused with a
 * message that says why, rather than an access-denied error about Lambda later.
 *
 * <p>The own account comes from STS {@code GetCallerIdentity}, asked once per container and only when a decision
 * needs it (a target in the own region). Not from the invocation context's function ARN, although it is free:
 * local runners invent it (the runtime interface emulator says account 012345678912, whatever the emulated
 * services use), a test or {@code sam local invoke} may give no context at all, and the service would have to
 * take it as a parameter. GetCallerIdentity needs no IAM permission, cannot be denied, and answers for the
 * credentials the function really holds, in AWS and in the emulator alike; one call per container is noise.
 * Not from {@code QUALYS_SECRET_ARN} either: the secret may be shared from another account.
 */
@Singleton
public final class SpokeAccess {

  /** STS's minimum DurationSeconds: the credentials are never used, so they should expire as soon as possible. */
  static final Duration VALIDATION_SESSION = Duration.ofMinutes(15);

  static final String SPOKE_HINT =
      "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?";

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern PARTITION = Pattern.compile("aws|aws-cn|aws-us-gov");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d");

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern NOT_SESSION_CHAR = Pattern.compile("[^\\w+=,.@-]");
  private static final int MAX_SESSION_NAME = 64;

  private static final Set<String> THROTTLING =
      Set.of("Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded");
  private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");

  private final StsClient sts;
  private final FetchCredentialsConfig config;
  private final StructuredLog log;
  private volatile String ownAccount;

  /**
   * @param sts an STS client with the function's own credentials, in its own region
   */
  @Inject
  public SpokeAccess(StsClient sts, FetchCredentialsConfig config, StructuredLog log) {
    this.sts = sts;
    this.config = config;
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
    boolean ownRegion = config.region() == null || config.region().equals(target.region());
    if (ownRegion && target.accountId().equals(ownAccount())) {
      return null;
    }
    if (!config.hubMode()) {
      throw singleAccountRefusal(target);
    }
    String ownPartition = config.region() == null ? null : partitionOf(config.region());
    if (ownPartition != null && !ownPartition.equals(target.partition())) {
      throw new TerminalException(
          "target " + describe(target) + " is in partition " + target.partition() + ", this scanner runs in "
              + ownPartition + ": roles cannot be assumed across partitions; deploy a scanner in that partition");
    }
    String roleArn =
        "arn:" + target.partition() + ":iam::" + target.accountId() + ":role/" + config.spokeRoleName();
    String session = sessionName(scanId);
    assume(roleArn, target.accountId(), session);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("roleArn", roleArn);
    fields.put("targetAccount", target.accountId());
    fields.put("targetRegion", target.region());
    fields.put("roleSessionName", session);
    log.info("spoke role validated", scanId, fields);
    return roleArn;
  }

  /** AssumeRole, for its verdict only: the response (and the credentials in it) is not even kept in a variable. */
  private void assume(String roleArn, String account, String session) {
    try {
      sts.assumeRole(
          b ->
              b.roleArn(roleArn)
                  .externalId(config.spokeExternalId())
                  .roleSessionName(session)
                  .durationSeconds((int) VALIDATION_SESSION.toSeconds()));
    } catch (SdkException e) {
      throw assumeFailure(e, roleArn, account);
    }
  }

  static RuntimeException assumeFailure(SdkException e, String roleArn, String account) {
    if (e instanceof AwsServiceException service) {
      String code = code(service);
      if (retryable(service)) {
        return new RetryableException(
            "STS is unavailable assuming " + roleArn + " (" + code + ", HTTP " + service.statusCode() + ")", e);
      }
      if (code == null ? service.statusCode() == 403 : DENIED.contains(code)) {
        // STS does not tell a missing role, a trust policy that does not match and a wrong external id apart.
        return new TerminalException(
            "cannot assume the spoke role " + roleArn + " in account " + account + " (AccessDenied): " + SPOKE_HINT
                + " (or this function's role lacks sts:AssumeRole on it)",
            e);
      }
      if ("RegionDisabledException".equals(code)) {
        return new TerminalException(
            "cannot assume the spoke role " + roleArn + " in account " + account
                + ": STS is not activated for that account in this region (IAM account settings)",
            e);
      }
      return new TerminalException(
          "sts:AssumeRole on " + roleArn + " in account " + account + " failed (" + code + ", HTTP "
              + service.statusCode() + ")",
          e);
    }
    if (e instanceof SdkClientException) {
      return new RetryableException("sts:AssumeRole on " + roleArn + " did not complete (network or timeout)", e);
    }
    return new TerminalException("sts:AssumeRole on " + roleArn + " failed", e);
  }

  /** The function's own account, asked of STS once per container (a failed ask is asked again next time). */
  String ownAccount() {
    String account = ownAccount;
    if (account == null) {
      try {
        account = sts.getCallerIdentity(b -> {}).account();
      } catch (AwsServiceException e) {
        String what = "sts:GetCallerIdentity failed (" + code(e) + ", HTTP " + e.statusCode() + ")";
        throw retryable(e) ? new RetryableException(what, e) : new TerminalException(what, e);
      } catch (SdkClientException e) {
        throw new RetryableException("sts:GetCallerIdentity did not complete (network or timeout)", e);
      }
      if (account == null || !ACCOUNT.matcher(account).matches()) {
        throw new TerminalException("sts:GetCallerIdentity returned no account id");
      }
      ownAccount = account;
    }
    return account;
  }

  /**
   * The session name for a scan: the scan id when it fits STS's rules (2 to 64 of {@code \w+=,.@-}), else its
   * valid characters cut short and a hash of the whole id, so two long ids with a common start stay distinct. The
   * same rule as Resolve Target's, so the spoke's CloudTrail shows both sessions of a scan under one name.
   */
  static String sessionName(String scanId) {
    String id = scanId == null ? "" : scanId;
    if (SESSION_NAME.matcher(id).matches()) {
      return id;
    }
    String hash = HexFormat.of().formatHex(sha256(id)).substring(0, 8);
    String clean = NOT_SESSION_CHAR.matcher(id).replaceAll("-");
    int keep = Math.min(clean.length(), MAX_SESSION_NAME - hash.length() - 1);
    return (keep == 0 ? "scan" : clean.substring(0, keep)) + "-" + hash;
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

  private TerminalException singleAccountRefusal(Target target) {
    String own = ownAccount();
    if (!own.equals(target.accountId())) {
      return new TerminalException(
          "cross-account target " + describe(target) + " (account " + target.accountId() + "; this function runs in "
              + own + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the hub (DeploymentMode=hub)"
              + " and templates/spoke.yaml to scan other accounts");
    }
    return new TerminalException(
        "cross-region target " + describe(target) + " (region " + target.region() + "; this function runs in "
            + config.region() + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the scanner in that"
            + " region too, or the hub and templates/spoke.yaml");
  }

  private static boolean retryable(AwsServiceException e) {
    String code = code(e);
    return e.isThrottlingException()
        || e.statusCode() == 429
        || e.statusCode() >= 500
        || (code != null && THROTTLING.contains(code));
  }

  private static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static String describe(Target target) {
    return target.functionArn() != null
        ? target.functionArn()
        : target.functionName() + " in " + target.region();
  }

  private static String partitionOf(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
