package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Outcome;

/** qscanner's exit codes (qscanner.md), read the pipeline's way. */
final class ExitCodes {

  private ExitCodes() {}

  /** The outcome of a scan that ran to its end, or null when the code is a failure. */
  static Outcome outcome(int exitCode, String mode) {
    return switch (exitCode) {
      case 0 -> Config.EVALUATE_POLICY.equals(mode) ? Outcome.POLICY_ALLOW : Outcome.COMPLETED;
      case 42 -> Outcome.POLICY_DENY;
      case 43 -> Outcome.POLICY_AUDIT;
      case 40 -> Outcome.PARTIAL;
      default -> null;
    };
  }

  /** Output handling (uploads to Qualys) and policy fetch failures: worth another try. */
  static boolean retryable(int exitCode) {
    return (exitCode >= 30 && exitCode <= 39) || exitCode == 41;
  }

  /** What a failure code most likely means, for the operator reading the record. */
  static String meaning(int exitCode) {
    return switch (exitCode) {
      case 1 -> "generic error";
      case 2 -> "invalid parameter (check QSCANNER_* settings and the pod)";
      case 3 -> "logger initialisation failed (HOME or XDG_CONFIG_HOME, writable TMPDIR)";
      case 5 -> "artifact failed: filesystem (is /tmp large enough? raise ScanEphemeralStorageMiB)";
      case 6 -> "artifact failed: image (can the scanner's role pull it from ECR?)";
      case 7 -> "artifact failed: image archive";
      case 8 -> "artifact failed: storage driver";
      case 9 -> "artifact failed: container";
      case 10 ->
          "artifact failed: usually the scanner's role lacks lambda:GetFunction on the target"
              + " (or the function was deleted)";
      case 41 -> "failed to get the policy evaluation result";
      default -> {
        if (exitCode >= 11 && exitCode <= 21) {
          yield "a scanner module failed (" + exitCode + ")";
        }
        if (exitCode >= 30 && exitCode <= 39) {
          yield "output handling failed: result or SBOM upload to Qualys";
        }
        yield exitCode < 0 || exitCode > 128 ? "killed by a signal" : "unknown exit code";
      }
    };
  }
}
