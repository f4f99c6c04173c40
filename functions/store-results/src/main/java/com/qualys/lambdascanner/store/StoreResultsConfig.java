package com.qualys.lambdascanner.store;

/**
 * @param bucket the results bucket ({@code RESULTS_BUCKET})
 * @param tagScannedFunctions tag scanned functions with their last outcome ({@code TAG_SCANNED_FUNCTIONS}, default false)
 * @param quarantineOnDeny quarantine a function whose policy verdict is DENY ({@code QUARANTINE_ON_DENY}, default
 *     false)
 * @param securityHubExport export findings to Security Hub ({@code SECURITY_HUB_EXPORT}, default false)
 * @param suppressionListKey the suppression list's key in the bucket ({@code SUPPRESSION_LIST_KEY}, default
 *     {@value #DEFAULT_SUPPRESSION_LIST_KEY})
 */
public record StoreResultsConfig(
    String bucket,
    boolean tagScannedFunctions,
    String suppressionListKey,
    boolean quarantineOnDeny,
    boolean securityHubExport) {

  public static final String DEFAULT_SUPPRESSION_LIST_KEY = "config/suppressions.json";

  public StoreResultsConfig(String bucket, boolean tagScannedFunctions) {
    this(bucket, tagScannedFunctions, DEFAULT_SUPPRESSION_LIST_KEY, false, false);
  }

  public StoreResultsConfig(
      String bucket, boolean tagScannedFunctions, String suppressionListKey, boolean quarantineOnDeny) {
    this(bucket, tagScannedFunctions, suppressionListKey, quarantineOnDeny, false);
  }
}
