package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The AWS credentials qscanner uses to call Lambda (GetFunction) and to pull images from ECR. A seam: the default
 * hands on this function's own role; a cross-account implementation will assume {@code refs.roleArn()} in the
 * target account instead.
 */
public interface ScannerCredentials {

  AwsCredentials forTarget(Target target, CredentialRefs refs);
}
