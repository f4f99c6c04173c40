package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Whose identity qscanner gets for a target, and the rules on {@code credentials.roleArn}. This function does not
 * trust a role ARN from its input: it accepts exactly the spoke role of the target's own account and partition
 * ({@code arn:<partition>:iam::<account>:role/<SPOKE_ROLE_NAME>}) and nothing else, so a forged state input cannot
 * make it assume some other role.
 *
 * <ul>
 *   <li>{@code roleArn} set: hub mode only, and only that exact ARN → the assumed spoke role.
 *   <li>{@code roleArn} null → this function's own role; in hub mode, only for a target in this function's own
 *       account and region (docs/organizations.md: its role reads functions and images of that region only, and
 *       Fetch Credentials names the spoke role for every other target).
 * </ul>
 */
final class TargetCredentials implements ScannerCredentials {

  private final String spokeRoleName;
  private final ScannerCredentials own;
  private final ScannerCredentials assumed;
  private final Supplier<String> homeAccount;
  private final String homeRegion;

  /**
   * @param spokeRoleName {@code SPOKE_ROLE_NAME}, empty in single-account mode
   * @param homeAccount this function's own account, asked for only in hub mode when no role was given
   * @param homeRegion this function's own region
   */
  TargetCredentials(
      String spokeRoleName,
      ScannerCredentials own,
      ScannerCredentials assumed,
      Supplier<String> homeAccount,
      String homeRegion) {
    this.spokeRoleName = spokeRoleName == null ? "" : spokeRoleName;
    this.own = own;
    this.assumed = assumed;
    this.homeAccount = homeAccount;
    this.homeRegion = homeRegion;
  }

  @Override
  public void check(Target target, CredentialRefs refs) {
    String roleArn = refs.roleArn();
    if (roleArn == null) {
      return;
    }
    if (spokeRoleName.isEmpty()) {
      throw new TerminalException(
          "credentials.roleArn is set, but this scanner runs in single-account mode (SPOKE_ROLE_NAME is empty):"
              + " it does not assume roles; deploy it in hub mode to scan account " + target.accountId());
    }
    String expected = SpokeRole.arn(target, spokeRoleName);
    if (!expected.equals(roleArn)) {
      // The expected ARN is no secret (account and configured role name); the given one is not echoed.
      throw new InvalidInputException(
          "credentials.roleArn is not the spoke role of the target's account: expected " + expected);
    }
  }

  @Override
  public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
    check(target, refs);
    if (refs.roleArn() != null) {
      return assumed.forTarget(scanId, target, refs, validFor);
    }
    if (!spokeRoleName.isEmpty()) {
      // The region first: it needs no call.
      String account = homeRegion.equals(target.region()) ? homeAccount.get() : null;
      if (!target.accountId().equals(account)) {
        throw new TerminalException(
            "target is in account " + target.accountId() + ", region " + target.region()
                + ", not this scanner's own account and region"
                + (account == null ? " (" + homeRegion + ")" : " (" + account + ", " + homeRegion + ")")
                + ", and credentials.roleArn is missing: expected " + SpokeRole.arn(target, spokeRoleName)
                + " from Fetch Credentials");
      }
    }
    return own.forTarget(scanId, target, refs, validFor);
  }
}
