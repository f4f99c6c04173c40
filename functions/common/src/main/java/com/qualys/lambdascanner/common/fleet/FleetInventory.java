package com.qualys.lambdascanner.common.fleet;

import java.util.List;

/**
 * What Enumerate Functions wrote to {@code fleet/runs/<runId>/inventory.json}: every scope it tried and every
 * function it found. Build Coverage reads it back.
 */
public record FleetInventory(String runId, String enumeratedAt, List<InventoryScope> scopes, List<InventoryFunction> functions) {

  public FleetInventory {
    scopes = List.copyOf(scopes);
    functions = List.copyOf(functions);
  }

  /** Where a run's objects live; the run id is validated before it gets here. */
  public static String prefix(String runId) {
    return "fleet/runs/" + runId + "/";
  }

  public static String inventoryKey(String runId) {
    return prefix(runId) + "inventory.json";
  }

  public static String manifestKey(String runId) {
    return prefix(runId) + "manifest.json";
  }
}
