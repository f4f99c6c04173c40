package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * qscanner's argument list (never a shell line): {@code qscanner [global flags] <command> [command flags] <target>}.
 * Nothing secret goes here: the token travels in the environment.
 */
final class QScannerCommand {

  /** An image pinned by digest; a tag can move between resolution and scan, a digest cannot. */
  private static final Pattern IMAGE_BY_DIGEST =
      Pattern.compile("[a-z0-9.-]+(?::[0-9]{1,5})?(?:/[a-z0-9._-]+)+@sha256:[a-f0-9]{64}");

  private static final Pattern POD = Pattern.compile("[A-Z]{2,4}[0-9]{1,2}");

  private QScannerCommand() {}

  static List<String> build(
      Config config, Target target, String pod, Duration scanTimeout, Path outputDir, Path cacheDir) {
    if (pod == null || !POD.matcher(pod).matches()) {
      throw new InvalidInputException("credentials.pod is not a Qualys platform name such as US1");
    }
    List<String> args = new ArrayList<>();
    args.add(config.qscannerPath().toString());
    args.add("--pod");
    args.add(pod);
    args.add("--mode");
    args.add(config.mode());
    if (Config.EVALUATE_POLICY.equals(config.mode()) && !config.policyTags().isEmpty()) {
      args.add("--policy-tags");
      args.add(String.join(",", config.policyTags()));
    }
    args.add("--scan-types");
    args.add(String.join(",", config.scanTypes()));
    // The JSON inventory (the ScanResult file) and the SBOMs kept under reports/ (docs/qscanner-integration.md).
    args.add("--format");
    args.add("json," + String.join(",", config.sbomFormats()));
    args.add("--report-format");
    args.add(config.reportFormat());
    args.add("--output-dir");
    args.add(outputDir.toString());
    args.add("--cache-dir");
    args.add(cacheDir.toString());
    args.add("--scan-timeout");
    args.add(scanTimeout.toSeconds() + "s");
    args.add("--log-level");
    args.add(config.logLevel());
    args.addAll(subject(target));
    return List.copyOf(args);
  }

  /**
   * The command and its target: a Zip function by its qualified ARN, an image function by its digest (with
   * {@code --platform linux/arm64} for an arm64 one).
   */
  static List<String> subject(Target target) {
    if (target.packageType() == PackageType.IMAGE) {
      String digest = target.imageDigest();
      if (digest == null || !IMAGE_BY_DIGEST.matcher(digest).matches()) {
        throw new InvalidInputException("target.imageDigest must be repository@sha256:<64 hex> for an image function");
      }
      // An index would otherwise resolve to the host's platform; qscanner.md: image takes --platform <os>/<arch>.
      if (target.architectures().equals(List.of("arm64"))) {
        return List.of("image", "--platform", "linux/arm64", digest);
      }
      return List.of("image", digest);
    }
    // Parsing validates it (and rejects anything that could read as a flag) before it reaches the argv.
    return List.of("lambda", LambdaArn.parse(target.qualifiedArn()).toString());
  }
}
