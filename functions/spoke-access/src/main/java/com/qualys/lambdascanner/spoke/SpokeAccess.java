package com.qualys.lambdascanner.spoke;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Hub mode's rules (docs/organizations.md, "contract for the Java side"), once for Resolve Target, Fetch
 * Credentials and Run QScanner, so the three cannot disagree about which role reads a target:
 *
 * <ul>
 *   <li>A target whose account <em>and</em> region are the function's own is read with the function's own
 *       credentials: its Lambda permissions cover that account and region only.
 *   <li>In hub mode ({@code SPOKE_ROLE_NAME} set) any other target is read through
 *       {@code arn:<target partition>:iam::<target account>:role/<SPOKE_ROLE_NAME>}, assumed with the external id;
 *       other regions of the own account too (the spoke stack creates the role in the hub account as well).
 *   <li>In single-account mode any other target is refused with a {@link TerminalException} that says why, rather
 *       than an access-denied error about Lambda later that would send the reader to the wrong policy.
 * </ul>
 *
 * <p>The own account comes from STS {@code GetCallerIdentity}, asked once per container and only when a decision
 * needs it. Not from the invocation context's function ARN: local runners invent it (the runtime interface emulator
 * says 012345678912, whatever the emulated services use), a test or {@code sam local invoke} may give no context,
 * and the services would have to take it as a parameter. GetCallerIdentity needs no IAM permission and answers for
 * the credentials the function really holds, in AWS and in the emulator alike.
 *
 * <p>Sessions are named after the scan (see {@link #sessionName}), so the spoke's CloudTrail links every call of
 * one scan, from all three functions, to its execution. Nothing here logs, returns in a message or keeps the
 * assumed credentials, nor the external id.
 */
public final class SpokeAccess {

  /** What an AccessDenied from AssumeRole most likely means; the contract quotes it word for word. */
  public static final String SPOKE_HINT =
      "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?";

  /** STS's minimum DurationSeconds. */
  public static final Duration MIN_SESSION = Duration.ofMinutes(15);

  /** The spoke role's MaxSessionDuration (templates/spoke.yaml), and the limit for role chaining. */
  public static final Duration MAX_SESSION = Duration.ofHours(1);

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern NOT_SESSION_CHAR = Pattern.compile("[^\\w+=,.@-]");
  private static final int MAX_SESSION_NAME = 64;
  private static final int HASH_CHARS = 8;

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled");
  private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");

  private final SpokeSettings settings;
  private final String ownRegion;
  private final String ownPartition;
  private final StsClient sts;
  private final Supplier<String> ownAccountLookup;
  private volatile String ownAccount;

  /**
   * @param ownRegion the function's own region ({@code AWS_REGION}); null in a local run without one, where only
   *     accounts are compared
   * @param sts a client with the function's own credentials, in its own region (STS is regional)
   */
  public SpokeAccess(SpokeSettings settings, String ownRegion, StsClient sts) {
    this(settings, ownRegion, sts, () -> callerAccount(sts));
  }

  /** @param ownAccountLookup asked for the own account at most once per successful answer (tests count calls) */
  public SpokeAccess(SpokeSettings settings, String ownRegion, StsClient sts, Supplier<String> ownAccountLookup) {
    this.settings = settings;
    this.ownRegion = ownRegion;
    this.ownPartition = ownRegion == null ? null : partitionOf(ownRegion);
    this.sts = sts;
    this.ownAccountLookup = ownAccountLookup;
  }

  public boolean hubMode() {
    return settings.hubMode();
  }

  /** The function's own region, or null when unknown (a local run). */
  public String ownRegion() {
    return ownRegion;
  }

  /**
   * Whose credentials read a target.
   *
   * @param partition the target's partition (validated by the caller)
   * @param accountId the target's account (validated by the caller); null for a target named without one, which
   *     Lambda takes to be in the caller's account: ours
   * @param region the target's region (validated by the caller)
   * @param target how messages name the target (its ARN, say)
   * @return the spoke role to assume, or null for the function's own credentials
   * @throws TerminalException a target in another partition; single-account mode and a target elsewhere
   * @throws RetryableException STS throttling, 5xx or network, asking for the own account
   */
  public SpokeRole roleFor(String partition, String accountId, String region, String target) {
    if (ownPartition != null && !ownPartition.equals(partition)) {
      throw new TerminalException(
          "target " + target + " is in partition " + partition + ", this scanner runs in " + ownPartition
              + ": roles cannot be assumed across partitions; deploy a scanner in that partition");
    }
    boolean ownRegionTarget = ownRegion == null || ownRegion.equals(region);
    if (!hubMode()) {
      if (accountId != null && !accountId.equals(ownAccount())) {
        throw new TerminalException(
            "cross-account target " + target + " (account " + accountId + "; this function runs in " + ownAccount()
                + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the hub (DeploymentMode=hub)"
                + " and templates/spoke.yaml to scan other accounts");
      }
      if (!ownRegionTarget) {
        throw new TerminalException(
            "cross-region target " + target + " (region " + region + "; this function runs in " + ownRegion
                + ") but SPOKE_ROLE_NAME is not set (single-account mode): deploy the scanner in that region too,"
                + " or the hub and templates/spoke.yaml");
      }
      return null;
    }
    // The region first: it needs no STS call, and most hub-mode targets are elsewhere.
    if (ownRegionTarget && (accountId == null || accountId.equals(ownAccount()))) {
      return null;
    }
    return spokeRoleIn(partition, accountId != null ? accountId : ownAccount());
  }

  /**
   * The only role this scanner assumes in an account: templates/spoke.yaml's, in the target's own partition.
   *
   * @throws IllegalStateException single-account mode, which has no spoke role
   */
  public SpokeRole spokeRoleIn(String partition, String accountId) {
    if (!hubMode()) {
      throw new IllegalStateException("single-account mode has no spoke role");
    }
    return SpokeRole.in(partition, accountId, settings.roleName());
  }

  /**
   * The AssumeRole request for a scan's session: the external id, the session named after the scan.
   *
   * @param duration how long the session should last, kept within {@link #MIN_SESSION} and {@link #MAX_SESSION}
   */
  public AssumeRoleRequest assumeRequest(SpokeRole role, String scanId, Duration duration) {
    return assumeRequest(role, scanId, duration, null);
  }

  /** The same, narrowed by an inline session policy (null: none); run-qscanner's child gets one target only. */
  public AssumeRoleRequest assumeRequest(SpokeRole role, String scanId, Duration duration, String sessionPolicy) {
    return AssumeRoleRequest.builder()
        .roleArn(role.arn())
        .externalId(settings.externalId())
        .roleSessionName(sessionName(scanId))
        .durationSeconds(durationSeconds(duration))
        .policy(sessionPolicy)
        .build();
  }

  /**
   * Assumes the spoke role for one scan. The caller decides what becomes of the credentials: they must not reach a
   * log, a message, a record or the state.
   *
   * @throws TerminalException the role denied (with {@link #SPOKE_HINT}) or any STS error that will not fix itself
   * @throws RetryableException STS throttling, 5xx, network
   */
  public Credentials assume(SpokeRole role, String scanId, Duration duration) {
    return assume(role, scanId, duration, null);
  }

  /** {@link #assume(SpokeRole, String, Duration)} with an inline session policy (null: none). */
  public Credentials assume(SpokeRole role, String scanId, Duration duration, String sessionPolicy) {
    Credentials credentials;
    try {
      credentials = sts.assumeRole(assumeRequest(role, scanId, duration, sessionPolicy)).credentials();
    } catch (SdkException e) {
      throw assumeFailure(e, role);
    }
    if (credentials == null) {
      throw new TerminalException("sts:AssumeRole on " + role.arn() + " returned no credentials");
    }
    return credentials;
  }

  /**
   * An AssumeRole failure on the error contract. Takes any throwable: the SDK's refreshing credentials provider
   * wraps what STS said, and the service error behind it is what decides.
   */
  public static RuntimeException assumeFailure(Throwable e, SpokeRole role) {
    SdkException sdk = sdkCause(e);
    if (sdk instanceof AwsServiceException service) {
      String code = code(service);
      String status = " (" + (code == null ? "no error code" : code) + ", HTTP " + service.statusCode() + ")";
      if (retryable(service)) {
        return new RetryableException("STS is unavailable: sts:AssumeRole on " + role.arn() + " failed" + status, e);
      }
      if (code == null ? service.statusCode() == 403 : DENIED.contains(code)) {
        // STS does not tell a missing role, a trust policy that does not match and a wrong external id apart.
        return new TerminalException(
            "cannot assume the spoke role " + role.arn() + " in account " + role.accountId() + " (AccessDenied): "
                + SPOKE_HINT + " (or this function's role lacks sts:AssumeRole on it)",
            e);
      }
      if ("RegionDisabledException".equals(code)) {
        return new TerminalException(
            "cannot assume the spoke role " + role.arn() + " in account " + role.accountId()
                + ": STS is not activated for that account in this region (RegionDisabledException;"
                + " IAM account settings)",
            e);
      }
      return new TerminalException(
          "sts:AssumeRole on " + role.arn() + " in account " + role.accountId() + " failed" + status, e);
    }
    if (sdk instanceof SdkClientException) {
      return new RetryableException("sts:AssumeRole on " + role.arn() + " did not complete (network or timeout)", e);
    }
    return new TerminalException("sts:AssumeRole on " + role.arn() + " failed", e);
  }

  /** The function's own account, asked once per container (a failed ask is asked again next time). */
  public String ownAccount() {
    String account = ownAccount;
    if (account == null) {
      account = ownAccountLookup.get();
      ownAccount = account;
    }
    return account;
  }

  /**
   * The session name for a scan: the scan id itself when it fits STS's rules (2 to 64 of {@code \w+=,.@-}), else its
   * valid characters cut short and a hash of the whole id, so two long ids with a common start stay distinct. One
   * rule for all three functions: the spoke's CloudTrail shows every session of a scan under the execution's name.
   */
  public static String sessionName(String scanId) {
    String id = scanId == null ? "" : scanId;
    if (SESSION_NAME.matcher(id).matches()) {
      return id;
    }
    String hash = HexFormat.of().formatHex(sha256(id)).substring(0, HASH_CHARS);
    String clean = NOT_SESSION_CHAR.matcher(id).replaceAll("-");
    int keep = Math.min(clean.length(), MAX_SESSION_NAME - HASH_CHARS - 1);
    return (keep == 0 ? "scan" : clean.substring(0, keep)) + "-" + hash;
  }

  /** Whole seconds, rounded up (the session must not end first), within STS's minimum and the role's maximum. */
  public static int durationSeconds(Duration wanted) {
    long seconds = wanted.toSeconds() + (wanted.toNanosPart() > 0 ? 1 : 0);
    return (int) Math.clamp(seconds, MIN_SESSION.toSeconds(), MAX_SESSION.toSeconds());
  }

  private static String callerAccount(StsClient sts) {
    String account;
    try {
      account = sts.getCallerIdentity(b -> {}).account();
    } catch (AwsServiceException e) {
      String what =
          "sts:GetCallerIdentity failed (" + code(e) + ", HTTP " + e.statusCode() + "): cannot learn this function's"
              + " own account";
      throw retryable(e) ? new RetryableException(what, e) : new TerminalException(what, e);
    } catch (SdkClientException e) {
      throw new RetryableException("sts:GetCallerIdentity did not complete (network or timeout)", e);
    }
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      throw new TerminalException("sts:GetCallerIdentity returned no account id");
    }
    return account;
  }

  /** The partition of the function's own region; aws-iso* is out of scope, as for every ARN this scanner reads. */
  private static String partitionOf(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.contains("-iso")) {
      throw new TerminalException("AWS_REGION is in a partition this scanner does not support");
    }
    return "aws";
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

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
