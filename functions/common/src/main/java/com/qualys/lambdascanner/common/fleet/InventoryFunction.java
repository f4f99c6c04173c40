package com.qualys.lambdascanner.common.fleet;

import java.util.List;

/**
 * One function Enumerate Functions found (ListFunctions' own fields, validated): an entry of the inventory, and,
 * reduced to its ARN, an item of the Distributed Map's manifest.
 *
 * @param functionArn unqualified function ARN (validated)
 * @param packageType {@code Zip} or {@code Image}
 * @param runtime null for image functions
 * @param layers layer version ARNs, as ListFunctions reports them
 */
public record InventoryFunction(
    String functionArn,
    String accountId,
    String region,
    String functionName,
    String packageType,
    String runtime,
    String codeSha256,
    List<String> layers) {

  public InventoryFunction {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
