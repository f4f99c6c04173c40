package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Outcome;

/**
 * qscanner's exit codes, as the table of QScanner's README v4.8.0 ("Exit Codes") names them, read the pipeline's way.
 */
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

  /**
   * Failures of a call to Qualys, worth another try: the three output handlers that upload (33 changelist, 37 SBOM,
   * 39 secret result) and the policy result fetch (41). The other output handlers (30-32, 34-36, 38) write or
   * compress files locally: running the same scan again would most likely fail the same way.
   */
  static boolean retryable(int exitCode) {
    return exitCode == 33 || exitCode == 37 || exitCode == 39 || exitCode == 41;
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
      case 30 -> "output handling failed: JSON result handler (a local failure: is /tmp full?)";
      case 31 -> "output handling failed: changelist creation (a local failure: is /tmp full?)";
      case 32 -> "output handling failed: changelist compression (a local failure: is /tmp full?)";
      case 33 -> "output handling failed: changelist upload to Qualys";
      case 34 -> "output handling failed: SPDX handler (a local failure: is /tmp full?)";
      case 35 -> "output handling failed: CycloneDX handler (a local failure: is /tmp full?)";
      case 36 -> "output handling failed: SBOM compression (a local failure: is /tmp full?)";
      case 37 -> "output handling failed: SBOM upload to Qualys";
      case 38 -> "output handling failed: secret result creation (a local failure: is /tmp full?)";
      case 39 -> "output handling failed: secret result upload to Qualys";
      case 41 -> "failed to get the policy evaluation result";
      default -> {
        if (exitCode >= 11 && exitCode <= 21) {
          yield "a scanner module failed (" + exitCode + ")";
        }
        yield exitCode < 0 || exitCode > 128 ? "killed by a signal" : "unknown exit code";
      }
    };
  }
}
