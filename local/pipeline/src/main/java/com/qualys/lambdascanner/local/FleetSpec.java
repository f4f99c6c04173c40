package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A fleet to seed in the emulator ({@code FLEET=<file>}, docs/local.md): accounts, their regions, whether their spoke
 * role can be assumed, and their functions.
 */
public record FleetSpec(List<Account> accounts) {

  private static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
  private static final Pattern REGION = Pattern.compile("^[a-z]{2}-[a-z]+-\\d$");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  public FleetSpec {
    accounts = List.copyOf(accounts);
  }

  /** @param reachable false: the spoke role in this account refuses to be assumed */
  public record Account(String accountId, List<String> regions, boolean reachable, List<Function> functions) {

    public Account {
      regions = List.copyOf(regions);
      functions = List.copyOf(functions);
    }
  }

  /** @param packageType {@code Zip} or {@code Image} */
  public record Function(String name, String region, String packageType, Map<String, String> tags, List<String> layers) {

    public Function {
      tags = Map.copyOf(tags);
      layers = List.copyOf(layers);
    }

    public boolean image() {
      return "Image".equalsIgnoreCase(packageType);
    }
  }

  /** Every region any account names, in order: the fleet's {@code FLEET_REGIONS}. */
  public List<String> regions() {
    List<String> regions = new ArrayList<>();
    accounts.forEach(a -> a.regions().stream().filter(r -> !regions.contains(r)).forEach(regions::add));
    return regions;
  }

  public int functionCount() {
    return accounts.stream().mapToInt(a -> a.functions().size()).sum();
  }

  /**
   * Reads the file's JSON.
   *
   * @throws IllegalArgumentException a key of the wrong shape (the message says which)
   */
  public static FleetSpec parse(JsonNode root) {
    List<Account> accounts = new ArrayList<>();
    if (!root.path("accounts").isArray()) {
      throw new IllegalArgumentException("the fleet file needs an \"accounts\" array");
    }
    for (JsonNode a : root.path("accounts")) {
      String id = check(a.path("accountId").asText(""), ACCOUNT, "accountId");
      List<String> regions = new ArrayList<>();
      a.path("regions").forEach(r -> regions.add(check(r.asText(""), REGION, "region")));
      List<Function> functions = new ArrayList<>();
      for (JsonNode f : a.path("functions")) {
        String region = check(f.path("region").asText(regions.isEmpty() ? "" : regions.getFirst()), REGION, "region");
        if (!regions.contains(region)) {
          regions.add(region);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        f.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        List<String> layers = new ArrayList<>();
        f.path("layers").forEach(l -> layers.add(l.asText()));
        functions.add(new Function(check(f.path("name").asText(""), NAME, "function name"), region,
            f.path("packageType").asText("Zip"), tags, layers));
      }
      accounts.add(new Account(id, regions, a.path("reachable").asBoolean(true), functions));
    }
    return new FleetSpec(accounts);
  }

  private static String check(String value, Pattern shape, String what) {
    if (!shape.matcher(value).matches()) {
      throw new IllegalArgumentException("fleet file: " + what + " '" + value + "' is not valid");
    }
    return value;
  }
}
