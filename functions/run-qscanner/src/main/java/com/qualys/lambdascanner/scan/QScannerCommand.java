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

  /**
   * What varies from one run to the next.
   *
   * @param scanTimeout the scan's budget
   * @param outputDir where qscanner writes its files
   * @param cacheDir its cache directory (this scan's)
   * @param javaDbFresh the cache directory holds a fresh java-db: {@code --skip-java-db-update=true}
   * @param unqualified scan the function's unqualified ARN (a binary that refused the qualified one)
   */
  record Run(Duration scanTimeout, Path outputDir, Path cacheDir, boolean javaDbFresh, boolean unqualified) {}

  static List<String> build(
      Config config, Target target, String pod, Duration scanTimeout, Path outputDir, Path cacheDir) {
    return build(config, target, pod, new Run(scanTimeout, outputDir, cacheDir, false, false));
  }

  static List<String> build(Config config, Target target, String pod, Run run) {
    if (pod == null || !POD.matcher(pod).matches()) {
      throw new InvalidInputException("credentials.pod is not a Qualys platform name such as US1");
    }
    List<String> args = new ArrayList<>();
    args.add(config.qscannerPath().toString());
    args.add("--pod");
    args.add(pod);
    args.add("--mode");
    args.add(config.mode());
    // README "Use Cases" shows --policy-tags beside get-report too; tags only matter to a policy evaluation.
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
    args.add(run.outputDir().toString());
    args.add("--cache-dir");
    args.add(run.cacheDir().toString());
    args.add("--scan-timeout");
    args.add(run.scanTimeout().toSeconds() + "s");
    args.addAll(NetworkRetries.fitting(run.scanTimeout()).flags());
    if (run.javaDbFresh()) {
      args.add("--skip-java-db-update=true");
    }
    args.add("--log-level");
    args.add(config.logLevel());
    args.addAll(subject(target, run.unqualified()));
    return List.copyOf(args);
  }

  /**
   * The command and its target: a Zip function by its qualified ARN, an image function by its digest (with
   * {@code --platform linux/arm64} for an arm64 one).
   */
  static List<String> subject(Target target) {
    return subject(target, false);
  }

  /** As {@link #subject(Target)}; {@code unqualified}: a Zip function by its unqualified ARN. */
  static List<String> subject(Target target, boolean unqualified) {
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
    return List.of("lambda", LambdaArn.parse(unqualified ? target.functionArn() : target.qualifiedArn()).toString());
  }
}
