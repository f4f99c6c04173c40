package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Run QScanner's configuration, read once from the environment.
 *
 * @param resultsBucket where the raw reports go ({@code RESULTS_BUCKET})
 * @param qualysSecretArn the only secret this function may read ({@code QUALYS_SECRET_ARN})
 * @param qscannerPath the scanner binary ({@code QSCANNER_PATH})
 * @param mode {@code get-report} or {@code evaluate-policy} ({@code QSCANNER_MODE})
 * @param policyTags policy tags for evaluate-policy ({@code QSCANNER_POLICY_TAGS})
 * @param scanTypes qscanner scan types ({@code QSCANNER_SCAN_TYPES})
 * @param reportFormat {@code json} or {@code sarif} ({@code QSCANNER_REPORT_FORMAT}): exactly one is asked for
 * @param logLevel qscanner's log level ({@code QSCANNER_LOG_LEVEL})
 * @param scanTimeout the cap on a scan ({@code SCAN_TIMEOUT_SECONDS})
 * @param safetyMargin what is kept back from the invocation's remaining time ({@code SCAN_SAFETY_MARGIN_SECONDS})
 * @param minimumScanTime below this there is no point in starting the scanner
 * @param killGrace how long past the scanner's own timeout we wait before killing it
 * @param workRoot where per-invocation work folders are made ({@code TMPDIR}, /tmp in Lambda)
 * @param spokeRoleName the role templates/spoke.yaml creates in every spoke account ({@code SPOKE_ROLE_NAME});
 *     empty in single-account mode, where no role is ever assumed
 * @param spokeExternalId the external id that role requires ({@code SPOKE_EXTERNAL_ID}); required with a role name,
 *     empty (not even read) in single-account mode
 * @param sbomFormats the SBOMs qscanner writes next to its JSON inventory ({@code QSCANNER_SBOM_FORMATS}):
 *     {@code cyclonedx} always, {@code spdx} when asked
 * @param javaDbCache whether java-db is kept once per container ({@code QSCANNER_JAVA_DB_CACHE}, default true;
 *     false downloads it for every scan, as before: for {@code make bench-scanner})
 */
public record Config(
    String resultsBucket,
    String qualysSecretArn,
    Path qscannerPath,
    String mode,
    List<String> policyTags,
    List<String> scanTypes,
    String reportFormat,
    String logLevel,
    Duration scanTimeout,
    Duration safetyMargin,
    Duration minimumScanTime,
    Duration killGrace,
    Path workRoot,
    String spokeRoleName,
    String spokeExternalId,
    List<String> sbomFormats,
    boolean javaDbCache) {

  public static final String GET_REPORT = "get-report";
  public static final String EVALUATE_POLICY = "evaluate-policy";

  /** Tags, scan types and levels go on qscanner's command line: keep them to plain words. */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** The SBOMs kept when none are configured: CycloneDX. */
  public static final List<String> DEFAULT_SBOM_FORMATS = List.of("cyclonedx");

  private static final List<String> SBOM_FORMATS = List.of("cyclonedx", "spdx");

  public Config {
    sbomFormats = sbomFormats == null ? DEFAULT_SBOM_FORMATS : List.copyOf(sbomFormats);
    if (!sbomFormats.contains("cyclonedx") || !SBOM_FORMATS.containsAll(sbomFormats)) {
      throw new TerminalException("QSCANNER_SBOM_FORMATS must be cyclonedx or cyclonedx,spdx");
    }
    policyTags = List.copyOf(policyTags);
    scanTypes = List.copyOf(scanTypes);
    if (!GET_REPORT.equals(mode) && !EVALUATE_POLICY.equals(mode)) {
      throw new TerminalException("QSCANNER_MODE must be get-report or evaluate-policy");
    }
    if (!"json".equals(reportFormat) && !"sarif".equals(reportFormat)) {
      throw new TerminalException("QSCANNER_REPORT_FORMAT must be json or sarif");
    }
    if (scanTypes.isEmpty()) {
      throw new TerminalException("QSCANNER_SCAN_TYPES is empty");
    }
    for (String word : concat(policyTags, scanTypes, List.of(logLevel))) {
      if (!WORD.matcher(word).matches()) {
        throw new TerminalException(
            "QSCANNER_POLICY_TAGS, QSCANNER_SCAN_TYPES and QSCANNER_LOG_LEVEL take plain words");
      }
    }
    if (scanTimeout.isNegative() || scanTimeout.isZero()) {
      throw new TerminalException("SCAN_TIMEOUT_SECONDS must be positive");
    }
    if (safetyMargin.isNegative()) {
      throw new TerminalException("SCAN_SAFETY_MARGIN_SECONDS must not be negative");
    }
    // Validated as in the other functions; kept as "" (not null) in single-account mode, as this record always has.
    SpokeSettings spoke = new SpokeSettings(spokeRoleName, spokeExternalId);
    spokeRoleName = spoke.hubMode() ? spoke.roleName() : "";
    spokeExternalId = spoke.hubMode() ? spoke.externalId() : "";
  }

  /** Hub mode: targets in other accounts are read through the spoke role. */
  public boolean hubMode() {
    return !spokeRoleName.isEmpty();
  }

  public SpokeSettings spoke() {
    return new SpokeSettings(spokeRoleName, spokeExternalId);
  }

  public static Config from(Env env) {
    return new Config(
        env.required("RESULTS_BUCKET"),
        env.required("QUALYS_SECRET_ARN"),
        Path.of(env.optional("QSCANNER_PATH", "/opt/bin/qscanner")),
        env.optional("QSCANNER_MODE", GET_REPORT).toLowerCase(Locale.ROOT),
        list(env.optional("QSCANNER_POLICY_TAGS", "")),
        list(env.optional("QSCANNER_SCAN_TYPES", "pkg,secret")),
        env.optional("QSCANNER_REPORT_FORMAT", "sarif").toLowerCase(Locale.ROOT),
        env.optional("QSCANNER_LOG_LEVEL", "info"),
        Duration.ofSeconds(env.integer("SCAN_TIMEOUT_SECONDS", 300)),
        Duration.ofSeconds(env.integer("SCAN_SAFETY_MARGIN_SECONDS", 30)),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Path.of(env.optional("TMPDIR", "/tmp")),
        env.optional("SPOKE_ROLE_NAME", ""),
        env.optional("SPOKE_EXTERNAL_ID", ""),
        list(env.optional("QSCANNER_SBOM_FORMATS", "cyclonedx").toLowerCase(Locale.ROOT)).stream().distinct().toList(),
        !"false".equalsIgnoreCase(env.optional("QSCANNER_JAVA_DB_CACHE", "true").strip()));
  }

  private static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
