package com.qualys.lambdascanner.fleet.enumerate;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Enumerate Functions' settings, read once from the environment.
 *
 * @param resultsBucket where the manifest and inventory go ({@code fleet/runs/<runId>/})
 * @param accounts {@code FLEET_ACCOUNTS}: the accounts to enumerate besides the own one (hub mode: the spokes)
 * @param regions {@code FLEET_REGIONS}: the regions to enumerate in every account; empty means the own region
 * @param ownRegion {@code AWS_REGION}
 * @param spoke hub mode's spoke role; single-account mode without
 * @param accountsFromOrganization {@code FLEET_ACCOUNTS_FROM_ORGANIZATION}: also list the Organization's ACTIVE
 *     accounts (ListAccounts), in addition to {@code accounts}
 */
public record FleetConfig(
    String resultsBucket, List<String> accounts, List<String> regions, String ownRegion, SpokeSettings spoke,
    boolean accountsFromOrganization) {

  private static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
  private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d$");

  public FleetConfig {
    accounts = List.copyOf(accounts);
    regions = List.copyOf(regions);
  }

  public static FleetConfig from(Env env) {
    String ownRegion = env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null));
    List<String> regions = list(env.optional("FLEET_REGIONS", ""), REGION, "FLEET_REGIONS", "region");
    if (regions.isEmpty()) {
      if (ownRegion == null) {
        throw new TerminalException("neither FLEET_REGIONS nor AWS_REGION is set");
      }
      regions = List.of(ownRegion);
    }
    return new FleetConfig(
        env.required("RESULTS_BUCKET"),
        list(env.optional("FLEET_ACCOUNTS", ""), ACCOUNT, "FLEET_ACCOUNTS", "12-digit account id"),
        regions,
        ownRegion,
        SpokeSettings.from(env),
        env.flag("FLEET_ACCOUNTS_FROM_ORGANIZATION", false));
  }

  private static List<String> list(String value, Pattern shape, String variable, String what) {
    LinkedHashSet<String> items = new LinkedHashSet<>();
    for (String item : value.split(",")) {
      String clean = item.strip();
      if (clean.isEmpty()) {
        continue;
      }
      if (!shape.matcher(clean).matches()) {
        throw new TerminalException("environment variable " + variable + " holds an entry that is not a " + what);
      }
      items.add(clean);
    }
    return new ArrayList<>(items);
  }
}
