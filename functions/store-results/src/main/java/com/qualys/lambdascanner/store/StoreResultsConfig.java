package com.qualys.lambdascanner.store;

/**
 * @param bucket the results bucket ({@code RESULTS_BUCKET})
 * @param tagScannedFunctions tag scanned functions with their last outcome ({@code TAG_SCANNED_FUNCTIONS}, default false)
 */
public record StoreResultsConfig(String bucket, boolean tagScannedFunctions) {}
