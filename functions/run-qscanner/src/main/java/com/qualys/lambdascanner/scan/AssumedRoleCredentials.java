package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The spoke role of the target's account (templates/spoke.yaml), assumed with the hub's external id for one scan:
 * a session named after the scan, lasting the scan's budget. The role is always the one {@link SpokeRole#arn}
 * builds from the validated target; {@link TargetCredentials} has already refused any other ARN in the input.
 *
 * <p>The session's keys go to qscanner's environment only: nothing here logs them or puts them in a message.
 */
final class AssumedRoleCredentials implements ScannerCredentials {

  static final String SPOKE_HINT =
      "is templates/spoke.yaml deployed in that account, in its RoleRegion, with the hub's external id?";

  private final StsClient sts;
  private final String roleName;
  private final String externalId;

  /** @param sts a client with this function's own credentials, in its own region (STS is regional). */
  AssumedRoleCredentials(StsClient sts, String roleName, String externalId) {
    this.sts = sts;
    this.roleName = roleName;
    this.externalId = externalId;
  }

  @Override
  public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
    String roleArn = SpokeRole.arn(target, roleName);
    Credentials session;
    try {
      session =
          sts.assumeRole(
                  r ->
                      r.roleArn(roleArn)
                          .externalId(externalId)
                          .roleSessionName(SpokeRole.sessionName(scanId))
                          .durationSeconds(SpokeRole.durationSeconds(validFor)))
              .credentials();
    } catch (StsException e) {
      String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
        throw new RetryableException("STS is unavailable (" + code + ") assuming " + roleArn, e);
      }
      if ("AccessDenied".equals(code)) {
        // STS does not say whether the role is missing, its trust does not match or the external id is wrong.
        throw new TerminalException(
            "cannot assume " + roleArn + " in account " + target.accountId() + " (AccessDenied): " + SPOKE_HINT
                + " And may this function's role call sts:AssumeRole on it?");
      }
      throw new TerminalException(
          "cannot assume " + roleArn + " in account " + target.accountId() + " (" + code + ")");
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach STS to assume " + roleArn, e);
    }
    if (session == null) {
      throw new TerminalException("STS returned no credentials for " + roleArn);
    }
    return AwsSessionCredentials.builder()
        .accessKeyId(session.accessKeyId())
        .secretAccessKey(session.secretAccessKey())
        .sessionToken(session.sessionToken())
        .expirationTime(session.expiration())
        .build();
  }
}
