package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The AWS credentials qscanner uses to call Lambda (GetFunction) and to pull images from ECR: the stack's scan role
 * ({@link ScanRoleCredentials}) or the spoke role of the target's account ({@link AssumedRoleCredentials}), chosen
 * and checked by {@link TargetCredentials}, each narrowed to the target by {@link ScanSessionPolicy}.
 */
public interface ScannerCredentials {

  /**
   * Refuses references this implementation would not act on, before any AWS call is made (so a forged state
   * input costs nothing, not even the Qualys secret read). Nothing to check by default.
   */
  default void check(Target target, CredentialRefs refs) {}

  /**
   * @param scanId the validated scan id (names the role session, so the target account's CloudTrail shows which
   *     scan read its function)
   * @param target the validated target
   * @param refs Fetch Credentials' references
   * @param validFor how long qscanner may run with the credentials
   */
  AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor);
}
