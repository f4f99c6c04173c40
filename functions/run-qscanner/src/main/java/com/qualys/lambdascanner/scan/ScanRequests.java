package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** What a scan request must be before anything runs, and the environment the scanner child gets from it. */
final class ScanRequests {

  /** Execution names and UUIDs: safe as one S3 key segment. */
  private static final Pattern SCAN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private ScanRequests() {}

  /** The child's whole environment, built from nothing: no variable of this function leaks through. */
  static Map<String, String> environment(
      QualysAuth auth, AwsCredentials aws, Map<String, String> registry, LambdaArn arn, WorkDir work) {
    Map<String, String> env = new LinkedHashMap<>(auth.environment());
    env.putAll(registry);
    env.put("HOME", work.home().toString());
    env.put("TMPDIR", work.tmp().toString());
    env.put("PATH", RunQScanner.PATH);
    env.put("AWS_REGION", arn.region());
    env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
    if (aws instanceof AwsSessionCredentials session) {
      env.put("AWS_SESSION_TOKEN", session.sessionToken());
    }
    return env;
  }

  static String scanId(ScanRequest request) {
    if (request == null || request.scanId() == null || !SCAN_ID.matcher(request.scanId()).matches()) {
      throw new InvalidInputException("scanId must be 1 to 80 letters, digits, '-' or '_'");
    }
    return request.scanId();
  }

  /** The target must agree with its own ARN: the ARN is what qscanner scans and what the S3 keys are made of. */
  static Target target(Target target) {
    if (target == null) {
      throw new InvalidInputException("target is missing");
    }
    if (target.packageType() == null) {
      throw new InvalidInputException("target.packageType is missing");
    }
    LambdaArn arn = LambdaArn.parse(target.functionArn());
    if (arn.qualifier() != null) {
      throw new InvalidInputException("target.functionArn must be unqualified (the version is target.version)");
    }
    if (!arn.accountId().equals(target.accountId())
        || !arn.region().equals(target.region())
        || !arn.functionName().equals(target.functionName())) {
      throw new InvalidInputException("target.accountId, region and functionName must match target.functionArn");
    }
    return target;
  }
}
