package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
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
  public AwsCredentials forTarget(Target target, CredentialRefs refs) {
    if (refs != null && refs.roleArn() != null) {
      throw new TerminalException("cross-account scanning (credentials.roleArn) is not supported by this build");
    }
    try {
      return provider.resolveCredentials();
    } catch (SdkClientException e) {
      throw new TerminalException("cannot resolve this function's own AWS credentials for qscanner");
    }
  }
}
