package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeRole;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Whose identity qscanner gets for a target, and the rules on {@code credentials.roleArn}. This function does not
 * trust a role ARN from its input: it accepts exactly the spoke role of the target's own account and partition
 * ({@link SpokeAccess#spokeRoleIn}) and nothing else, so a forged state input cannot make it assume some other role.
 *
 * <ul>
 *   <li>{@code roleArn} set: hub mode only, and only that exact ARN → the assumed spoke role.
 *   <li>{@code roleArn} null → the stack's scan role ({@link ScanRoleCredentials}); in hub mode, only for a target that {@link SpokeAccess}
 *       reads with the own role (the function's own account and region): Fetch Credentials names the spoke role
 *       for every other target.
 * </ul>
 */
final class TargetCredentials implements ScannerCredentials {

  private final SpokeAccess spokes;
  private final ScannerCredentials own;
  private final ScannerCredentials assumed;

  TargetCredentials(SpokeAccess spokes, ScannerCredentials own, ScannerCredentials assumed) {
    this.spokes = spokes;
    this.own = own;
    this.assumed = assumed;
  }

  @Override
  public void check(Target target, CredentialRefs refs) {
    String roleArn = refs.roleArn();
    if (roleArn == null) {
      return;
    }
    if (!spokes.hubMode()) {
      throw new TerminalException(
          "credentials.roleArn is set, but this scanner runs in single-account mode (SPOKE_ROLE_NAME is empty):"
              + " it does not assume roles; deploy it in hub mode to scan account " + target.accountId());
    }
    String expected = spokes.spokeRoleIn(target.partition(), target.accountId()).arn();
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
    if (spokes.hubMode()) {
      SpokeRole expected =
          spokes.roleFor(target.partition(), target.accountId(), target.region(), target.functionArn());
      if (expected != null) {
        String homeRegion = spokes.ownRegion();
        // Known (and cached) only if the decision needed it: a target in the home region.
        String account = homeRegion.equals(target.region()) ? spokes.ownAccount() : null;
        throw new TerminalException(
            "target is in account " + target.accountId() + ", region " + target.region()
                + ", not this scanner's own account and region"
                + (account == null ? " (" + homeRegion + ")" : " (" + account + ", " + homeRegion + ")")
                + ", and credentials.roleArn is missing: expected " + expected.arn() + " from Fetch Credentials");
      }
    }
    return own.forTarget(scanId, target, refs, validFor);
  }
}
