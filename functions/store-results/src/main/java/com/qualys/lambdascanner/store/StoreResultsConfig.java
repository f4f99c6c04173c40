package com.qualys.lambdascanner.store;

/** @param bucket the results bucket ({@code RESULTS_BUCKET}) */
public record StoreResultsConfig(String bucket) {}
