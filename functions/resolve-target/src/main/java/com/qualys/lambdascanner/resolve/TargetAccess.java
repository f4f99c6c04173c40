package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeRole;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Whose credentials read a target function: {@link SpokeAccess} decides (the function's own role, a spoke role in
 * hub mode, or a clear refusal in single-account mode); this class keeps what is Resolve Target's own, the
 * credentials for its Lambda calls.
 *
 * <p>One {@link StsAssumeRoleCredentialsProvider} per spoke role, built on first use and kept (up to
 * {@link #MAX_SPOKE_ROLES}, least recently used dropped) for the container's life: it refreshes the session
 * before it expires, so a busy container assumes each role about once an hour. The session is named after the
 * scan that opened (or renewed) it. Credentials are resolved here, before any Lambda call, so an STS failure is
 * reported as one (with the spoke hint), not as a Lambda failure; they are never logged, returned or put in a
 * message.
 */
public final class TargetAccess {

  /** A container rarely sees many accounts; the bound keeps a long-lived one from growing without limit. */
  static final int MAX_SPOKE_ROLES = 100;

  /** As long as the role allows: the provider is cached, so a longer session means fewer AssumeRole calls. */
  static final Duration SESSION_DURATION = SpokeAccess.MAX_SESSION;

  private final SpokeAccess spokes;
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
  private final StsClient sts;

  /**
   * @param config the spoke settings (single-account mode without them) and the own region
   * @param sts an STS client with the function's own credentials, in its own region
   */
  public TargetAccess(Config config, StsClient sts) {
    this.sts = sts;
    this.spokes = new SpokeAccess(config.spoke(), config.defaultRegion(), sts);
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
    SpokeRole role = spokes.roleFor(ref.partition(), ref.accountId(), ref.region(), describe(ref));
    if (role == null) {
      return Reader.OWN;
    }
    StsAssumeRoleCredentialsProvider provider = provider(role);
    AwsCredentials credentials;
    openingScan.set(scanId);
    try {
      credentials = provider.resolveCredentials();
    } catch (RuntimeException e) {
      throw SpokeAccess.assumeFailure(e, role);
    } finally {
      openingScan.remove();
    }
    // The credentials just resolved, not the refreshing provider: nothing renews a session during the Lambda
    // calls, so every STS call happens here, where its failure is named for what it is. The SDK's provider
    // renews 5 minutes before expiry; the describe takes seconds.
    return new Reader(role.arn(), StaticCredentialsProvider.create(credentials));
  }

  private StsAssumeRoleCredentialsProvider provider(SpokeRole role) {
    synchronized (spokeRoles) {
      return spokeRoles.computeIfAbsent(
          role.arn(),
          arn ->
              StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(sts)
                  // Called on every (re)fetch, on the thread that needs the credentials: the session is named
                  // after the scan that opens it.
                  .refreshRequest(() -> spokes.assumeRequest(role, openingScan.get(), SESSION_DURATION))
                  .build());
    }
  }

  private static String describe(FunctionRef ref) {
    String arn = ref.unqualifiedArn();
    return arn != null ? arn : ref.functionName() + " in " + ref.region();
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
