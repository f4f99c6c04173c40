package com.qualys.lambdascanner.store;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * @param bucket the results bucket ({@code RESULTS_BUCKET})
 * @param tagScannedFunctions tag scanned functions with their last outcome ({@code TAG_SCANNED_FUNCTIONS}, default false)
 * @param quarantineOnDeny quarantine a function whose policy verdict is DENY ({@code QUARANTINE_ON_DENY}, default
 *     false)
 * @param securityHubExport export findings to Security Hub ({@code SECURITY_HUB_EXPORT}, default false)
 * @param ownFunctionNames the scanner's own functions, never quarantined: {@code SCANNER_FUNCTION_NAMES}
 *     (comma-separated) and this function's {@code AWS_LAMBDA_FUNCTION_NAME}
 * @param suppressionListKey the suppression list's key in the bucket ({@code SUPPRESSION_LIST_KEY}, default
 *     {@value #DEFAULT_SUPPRESSION_LIST_KEY})
 */
public record StoreResultsConfig(
    String bucket,
    boolean tagScannedFunctions,
    String suppressionListKey,
    boolean quarantineOnDeny,
    boolean securityHubExport,
    Set<String> ownFunctionNames) {

  public static final String DEFAULT_SUPPRESSION_LIST_KEY = "config/suppressions.json";

  public StoreResultsConfig(String bucket, boolean tagScannedFunctions) {
    this(bucket, tagScannedFunctions, DEFAULT_SUPPRESSION_LIST_KEY, false, false, Set.of());
  }

  public StoreResultsConfig(
      String bucket, boolean tagScannedFunctions, String suppressionListKey, boolean quarantineOnDeny) {
    this(bucket, tagScannedFunctions, suppressionListKey, quarantineOnDeny, false, Set.of());
  }

  /** The listed names and this function's own (the template cannot list a function in its own environment). */
  static Set<String> ownFunctionNames(String listed, String own) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : (listed + "," + own).split(",")) {
      if (!name.isBlank()) {
        names.add(name.strip());
      }
    }
    return names;
  }
}
