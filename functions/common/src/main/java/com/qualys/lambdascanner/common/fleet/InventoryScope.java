package com.qualys.lambdascanner.common.fleet;

/**
 * One account and region the fleet covers.
 *
 * @param reachable whether its functions could be listed
 * @param functions how many were listed (0 when unreachable)
 * @param error why it could not be read (redacted, one line), null when reachable
 */
public record InventoryScope(String accountId, String region, boolean reachable, int functions, String error) {}
