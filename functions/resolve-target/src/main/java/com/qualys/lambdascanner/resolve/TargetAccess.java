package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Whose credentials read a target function. A target in this function's own account and region is read with the
 * function's own role. In hub mode ({@code SPOKE_ROLE_NAME} set) any other target is read through
 * {@code arn:<partition>:iam::<target account>:role/<SPOKE_ROLE_NAME>}, assumed with the external id, in the
 * target's region: the function's own Lambda permissions cover its own account and region only. In
 * single-account mode any other target is refused with a {@link TerminalException} that says why, rather than
 * an access-denied error about {@code lambda:GetFunction} that would send the reader to the wrong policy.
 *
 * <p>The function's own account comes from STS {@code GetCallerIdentity} (no permission needed), asked once per
 * container and only when a decision needs it: a target that names an account (in hub mode, only one in this
 * region), or a hub-mode target elsewhere that names none. Lambda puts no account id in the environment, and the
 * invocation context's function ARN is per invocation (and invented by local runners such as sam local).
 *
 * <p>One {@link StsAssumeRoleCredentialsProvider} per spoke role, built on first use and kept (up to
 * {@link #MAX_SPOKE_ROLES}, least recently used dropped) for the container's life: it refreshes the session
 * before it expires, so a busy container assumes each role about once an hour. The session is named after the
 * scan that opened (or renewed) it, so the spoke's CloudTrail links its calls to an execution. Credentials are
 * resolved here, before any Lambda call, so an STS failure is reported as one (with the spoke hint), not as a
 * Lambda failure; they are never logged, returned or put in a message.
 */
public final class TargetAccess {

  /** A container rarely sees many accounts; the bound keeps a long-lived one from growing without limit. */
  static final int MAX_SPOKE_ROLES = 100;

  /** The spoke role's MaxSessionDuration, and the limit for role chaining (a Lambda role assuming another). */
  static final Duration SESSION_DURATION = Duration.ofHours(1);

  static final String SPOKE_HINT =
      "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?";

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern NOT_SESSION_CHAR = Pattern.compile("[^\\w+=,.@-]");
  private static final int MAX_SESSION_NAME = 64;

  private final StsClient sts;
  private final String roleName;
  private final String externalId;
  private final String ownRegion;
  private final String ownPartition;
  private final ThreadLocal<String> openingScan = new ThreadLocal<>();
  private final Map<String, StsAssumeRoleCredentialsProvider> spokeRoles =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StsAssumeRoleCredentialsProvider> eldest) {
          if (size() > MAX_SPOKE_ROLES) {
            eldest.getValue().close();
            return true;
          }
          return false;
        }
      };
  private volatile String ownAccount;

  /**
   * @param config the spoke role name and external id (both null in single-account mode) and the own region
   * @param sts an STS client with the function's own credentials, in its own region
   */
  public TargetAccess(Config config, StsClient sts) {
    this.sts = sts;
    this.roleName = config.spokeRoleName();
    this.externalId = config.spokeExternalId();
    this.ownRegion = config.defaultRegion();
    this.ownPartition = ownRegion == null ? null : partitionOf(ownRegion);
  }

  /**
   * Who reads this target.
   *
   * @param ref the validated target
   * @param scanId names the spoke session when this call opens or renews one
   * @throws TerminalException single-account mode and a target elsewhere; another partition; the spoke role
   *     denied (with the hint); any other STS error that will not fix itself
   * @throws com.qualys.lambdascanner.common.error.RetryableException STS throttling, 5xx, network
   */
  public Reader readerFor(FunctionRef ref, String scanId) {
    // Without AWS_REGION (a local run) the SDK's default region is the own region: nothing to compare.
    boolean ownRegionTarget = ownRegion == null || ownRegion.equals(ref.region());
    if (ownPartition != null && !ownPartition.equals(ref.partition())) {
      throw new TerminalException(
          "target " + describe(ref) + " is in partition " + ref.partition() + ", this scanner runs in " + ownPartition
              + ": roles cannot be assumed across partitions; deploy a scanner in that partition");
    }
    if (!hubMode()) {
      if (ref.accountId() != null && !ref.accountId().equals(ownAccount())) {
        throw new TerminalException(
            "cross-account target " + describe(ref) + " (account " + ref.accountId() + "; this function runs in "
                + ownAccount() + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the hub "
                + "(DeploymentMode=hub) and templates/spoke.yaml to scan other accounts");
      }
      if (!ownRegionTarget) {
        throw new TerminalException(
            "cross-region target " + describe(ref) + " (region " + ref.region() + "; this function runs in "
                + ownRegion + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the scanner in that "
                + "region too, or the hub and templates/spoke.yaml");
      }
      return Reader.OWN;
    }
    // Hub mode. A target named without an account is in the account Lambda answers for: ours.
    if (ownRegionTarget && (ref.accountId() == null || ref.accountId().equals(ownAccount()))) {
      return Reader.OWN;
    }
    String account = ref.accountId() != null ? ref.accountId() : ownAccount();
    String roleArn = "arn:" + ref.partition() + ":iam::" + account + ":role/" + roleName;
    StsAssumeRoleCredentialsProvider provider = spokeRole(roleArn);
    AwsCredentials credentials;
    openingScan.set(scanId);
    try {
      credentials = provider.resolveCredentials();
    } catch (RuntimeException e) {
      throw assumeFailure(e, roleArn, account);
    } finally {
      openingScan.remove();
    }
    // The credentials just resolved, not the refreshing provider: nothing renews a session during the Lambda
    // calls, so every STS call happens here, where its failure is named for what it is. The SDK's provider
    // renews 5 minutes before expiry; the describe takes seconds.
    return new Reader(roleArn, StaticCredentialsProvider.create(credentials));
  }

  /** The spoke session name for a scan: the scan id when it fits STS's rules, else a prefix and a hash of it. */
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

  private boolean hubMode() {
    return roleName != null;
  }

  private StsAssumeRoleCredentialsProvider spokeRole(String roleArn) {
    synchronized (spokeRoles) {
      return spokeRoles.computeIfAbsent(
          roleArn,
          arn ->
              StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(sts)
                  // Called on every (re)fetch, on the thread that needs the credentials: the session is named
                  // after the scan that opens it.
                  .refreshRequest(
                      () ->
                          AssumeRoleRequest.builder()
                              .roleArn(arn)
                              .externalId(externalId)
                              .roleSessionName(sessionName(openingScan.get()))
                              .durationSeconds((int) SESSION_DURATION.toSeconds())
                              .build())
                  .build());
    }
  }

  /** The function's own account, asked of STS once (a failed ask is asked again next time). */
  String ownAccount() {
    String account = ownAccount;
    if (account == null) {
      try {
        account = sts.getCallerIdentity(b -> {}).account();
      } catch (SdkException e) {
        throw AwsErrors.map(e, "sts:GetCallerIdentity", "this function's own identity");
      }
      ownAccount = account;
    }
    return account;
  }

  private static RuntimeException assumeFailure(RuntimeException e, String roleArn, String account) {
    SdkException sdk = sdkCause(e);
    if (sdk == null) {
      return new TerminalException("sts:AssumeRole on " + roleArn + " failed", e);
    }
    if (sdk instanceof AwsServiceException service && isAccessDenied(service)) {
      // STS does not tell a missing role, a trust policy that does not match and a wrong external id apart.
      return new TerminalException(
          "cannot assume the spoke role " + roleArn + " in account " + account + " (AccessDenied): " + SPOKE_HINT
              + " (or this function's role lacks sts:AssumeRole on it)",
          e);
    }
    return AwsErrors.map(sdk, "sts:AssumeRole", roleArn);
  }

  private static boolean isAccessDenied(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null ? e.statusCode() == 403 : code.equals("AccessDenied") || code.equals("AccessDeniedException");
  }

  /** The SDK failure behind a provider's exception (the cache may wrap it): a service error first. */
  private static SdkException sdkCause(Throwable e) {
    SdkException first = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException service) {
        return service;
      }
      if (first == null && t instanceof SdkException sdk) {
        first = sdk;
      }
    }
    return first;
  }

  private static String describe(FunctionRef ref) {
    String arn = ref.unqualifiedArn();
    return arn != null ? arn : ref.functionName() + " in " + ref.region();
  }

  private static String partitionOf(String region) {
    try {
      return Names.partitionOf(region);
    } catch (InvalidInputException e) {
      throw new TerminalException("AWS_REGION is in a partition this scanner does not support");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Who reads a target.
   *
   * @param roleArn the spoke role assumed, or null for the function's own role
   * @param credentials the assumed role's credentials, or null for the function's own
   */
  public record Reader(String roleArn, AwsCredentialsProvider credentials) {

    static final Reader OWN = new Reader(null, null);

    public boolean own() {
      return roleArn == null;
    }

    /** Never the credentials: a reader may end up in a message or a debugger. */
    @Override
    public String toString() {
      return own() ? "Reader[own role]" : "Reader[" + roleArn + "]";
    }
  }
}
