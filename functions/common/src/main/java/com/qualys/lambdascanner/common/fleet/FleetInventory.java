package com.qualys.lambdascanner.common.fleet;

import java.util.List;

/**
 * What Enumerate Functions wrote to {@code fleet/runs/<runId>/inventory.json}: every scope it tried and every
 * function it found. Build Coverage reads it back. {@code organizationError}: why Organizations ListAccounts
 * (asked for by {@code FleetAccountsFromOrganization}) gave no accounts, redacted and on one line (the run then
 * covers the listed accounts only, and its coverage says so); null when it was not asked for or answered.
 */
public record FleetInventory(
    String runId, String enumeratedAt, List<InventoryScope> scopes, List<InventoryFunction> functions,
    String organizationError) {

  /** An inventory whose accounts did not come from the Organization, or did without an error. */
  public FleetInventory(String runId, String enumeratedAt, List<InventoryScope> scopes, List<InventoryFunction> functions) {
    this(runId, enumeratedAt, scopes, functions, null);
  }

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
