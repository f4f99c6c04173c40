package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The spoke role of the target's account (templates/spoke.yaml), assumed through {@link SpokeAccess} for one scan,
 * lasting the scan's budget, narrowed by {@link ScanSessionPolicy} to the one target (the spoke role itself reads
 * every function of its account). The role is always the one {@link SpokeAccess#spokeRoleIn} builds from the validated
 * target; {@link TargetCredentials} has already refused any other ARN in the input.
 *
 * <p>The session's keys go to qscanner's environment (and the ECR login) only: nothing here logs them or puts them
 * in a message.
 */
final class AssumedRoleCredentials implements ScannerCredentials {

  /** What the session has to outlast besides the scan itself: the ECR login and the start of the child. */
  static final Duration SLACK = Duration.ofMinutes(1);

  private final SpokeAccess spokes;
  private final List<String> codeKeys;

  /** @param codeKeys {@code CODE_KMS_KEY_ARNS}, validated (the spoke role must be allowed them too) */
  AssumedRoleCredentials(SpokeAccess spokes, List<String> codeKeys) {
    this.spokes = spokes;
    this.codeKeys = List.copyOf(codeKeys);
  }

  @Override
  public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
    Credentials session =
        spokes.assume(
            spokes.spokeRoleIn(target.partition(), target.accountId()),
            scanId,
            validFor.plus(SLACK),
            ScanSessionPolicy.of(target, codeKeys));
    return sdkCredentials(session);
  }

  /** STS's session as the SDK's credentials (what qscanner's environment and the ECR login are built from). */
  static AwsSessionCredentials sdkCredentials(Credentials session) {
    return AwsSessionCredentials.builder()
        .accessKeyId(session.accessKeyId())
        .secretAccessKey(session.secretAccessKey())
        .sessionToken(session.sessionToken())
        .expirationTime(session.expiration())
        .build();
  }

  /**
   * The session's DurationSeconds: the scan's time plus {@link #SLACK}, within STS's minimum and the role's maximum.
   * In Lambda (15 minutes at most) this is nearly always the minimum; the cap matters only if SCAN_TIMEOUT_SECONDS is
   * set beyond what an invocation can run.
   */
  static int durationSeconds(Duration validFor) {
    return SpokeAccess.durationSeconds(validFor.plus(SLACK));
  }
}
