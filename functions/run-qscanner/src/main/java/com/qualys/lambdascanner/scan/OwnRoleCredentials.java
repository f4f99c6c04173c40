package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * This function's own credentials, through the SDK's default chain: with SnapStart they come from the container
 * credentials endpoint, not the environment, so reading {@code AWS_*} variables would be wrong there.
 */
final class OwnRoleCredentials implements ScannerCredentials {

  private final AwsCredentialsProvider provider;

  OwnRoleCredentials(AwsCredentialsProvider provider) {
    this.provider = provider;
  }

  @Override
  public AwsCredentials forTarget(String scanId, Target target, CredentialRefs refs, Duration validFor) {
    if (refs != null && refs.roleArn() != null) {
      // TargetCredentials routes role ARNs to the assumed role; reaching here would scan with the wrong identity.
      throw new TerminalException("a role to assume was given, but this function's own credentials were chosen");
    }
    try {
      return provider.resolveCredentials();
    } catch (SdkClientException e) {
      throw new TerminalException("cannot resolve this function's own AWS credentials for qscanner");
    }
  }
}
