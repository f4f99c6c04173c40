package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.scan.TargetCode.CodeState;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Whether qscanner scanned the code Resolve Target resolved. For {@code $LATEST} qscanner fetches whatever is current
 * when it runs; a deploy in between (by accident, or on purpose: bad code, good code during the scan, bad code
 * again, which is then a duplicate) would put a clean verdict on code that never went through the scanner. So the
 * code sha is read before the scan (and compared with the resolved one) and again after it, with the revision id,
 * which also moves when the layers or the image change through UpdateFunctionConfiguration.
 */
final class CodeChangeCheck {

  private final TargetCode code;

  CodeChangeCheck(TargetCode code) {
    this.code = code;
  }

  CodeState read(Target target, AwsCredentials credentials) {
    return code.read(target, credentials);
  }

  /** Why the code before the scan is not the resolved code, or null when it is. */
  static String beforeScan(Target target, CodeState before) {
    if (before.gone()) {
      return "the function " + target.qualifiedArn() + " no longer exists: nothing was scanned";
    }
    if (target.codeSha256() != null && !target.codeSha256().equals(before.codeSha256())) {
      return "the function's code changed after it was resolved (code sha " + target.codeSha256() + " -> "
          + before.codeSha256() + "): not scanned; the event for the new code scans it";
    }
    return null;
  }

  /** Why the code after the scan is not the code before it, or null when it is the same. */
  static String afterScan(Target target, CodeState before, CodeState after) {
    if (after.gone()) {
      return "the function " + target.qualifiedArn() + " was deleted during the scan: not a verdict";
    }
    if (!Objects.equals(before.codeSha256(), after.codeSha256())
        || !Objects.equals(before.revisionId(), after.revisionId())) {
      return "the function's code changed during the scan (code sha " + before.codeSha256() + " -> "
          + after.codeSha256() + ", revision " + before.revisionId() + " -> " + after.revisionId()
          + "): not a verdict on either code";
    }
    return null;
  }
}
