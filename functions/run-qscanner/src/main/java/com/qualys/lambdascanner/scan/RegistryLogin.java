package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Target;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Registry credentials for an image function's image, as environment variables for qscanner (never flags: a
 * password on the command line is visible to every process on the host). Empty when none are needed.
 */
public interface RegistryLogin {

  Map<String, String> environment(Target target, AwsCredentials scannerCredentials);
}
