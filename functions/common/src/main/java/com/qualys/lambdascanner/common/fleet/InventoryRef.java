package com.qualys.lambdascanner.common.fleet;

/**
 * Enumerate Functions' output, {@code $.inventory} in the fleet state: where the manifest (the Distributed Map's
 * ItemReader) and the inventory are, and counts for the console. Never the function list itself (256 KiB).
 */
public record InventoryRef(
    String runId, String bucket, String manifestKey, String inventoryKey, int functions, int scopes, int unreachable) {}
