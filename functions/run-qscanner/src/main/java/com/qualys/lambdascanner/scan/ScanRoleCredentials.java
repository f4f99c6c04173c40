package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Targets in this function's own account and region: the stack's scan role ({@code SCAN_ROLE_ARN}), assumed for one
 * scan with {@link ScanSessionPolicy}, so qscanner never holds this function's own role (GetSecretValue on the Qualys
 * secret, PutObject on reports/, AssumeRole into every spoke) nor GetFunction on every function of the account.
 */
final class ScanRoleCredentials implements ScannerCredentials {

  private static final Pattern SCAN_ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

  private final StsClient sts;
  private final String scanRoleArn;
  private final List<String> codeKeys;

  /**
   * @param scanRoleArn {@code SCAN_ROLE_ARN}; checked when a scan needs it, so a bad value fails that scan clearly
   * @param codeKeys {@code CODE_KMS_KEY_ARNS}, validated
   */
  ScanRoleCredentials(StsClient sts, String scanRoleArn, List<String> codeKeys) {
    this.sts = sts;
    this.scanRoleArn = scanRoleArn;
    this.codeKeys = List.copyOf(codeKeys);
  }

  @Override
  public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
    if (refs != null && refs.roleArn() != null) {
      // TargetCredentials routes spoke role ARNs to the spoke; reaching here would scan with the wrong identity.
      throw new TerminalException("a spoke role to assume was given, but the own-account scan role was chosen");
    }
    if (scanRoleArn == null || !SCAN_ROLE.matcher(scanRoleArn).matches()) {
      throw new TerminalException("environment variable SCAN_ROLE_ARN must be the ARN of the stack's scan role");
    }
    Credentials session;
    try {
      session = sts.assumeRole(b -> b.roleArn(scanRoleArn)
          .roleSessionName(SpokeAccess.sessionName(scanId))
          .durationSeconds(AssumedRoleCredentials.durationSeconds(validFor))
          .policy(ScanSessionPolicy.of(target, codeKeys))).credentials();
    } catch (AwsServiceException e) {
      if (e.isThrottlingException() || e.statusCode() >= 500) {
        throw new RetryableException("STS is unavailable: sts:AssumeRole on the scan role failed", e);
      }
      String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
      throw new TerminalException("cannot assume the scan role " + scanRoleArn + " (" + code
          + "): its trust policy must admit this function's role, and this role needs sts:AssumeRole on it", e);
    } catch (SdkClientException e) {
      throw new RetryableException("sts:AssumeRole on the scan role did not complete (network or timeout)", e);
    }
    if (session == null) {
      throw new TerminalException("sts:AssumeRole on " + scanRoleArn + " returned no credentials");
    }
    return AssumedRoleCredentials.sdkCredentials(session);
  }
}
