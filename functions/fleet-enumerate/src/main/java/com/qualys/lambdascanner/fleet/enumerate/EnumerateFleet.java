package com.qualys.lambdascanner.fleet.enumerate;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.fleet.FleetInventory;
import com.qualys.lambdascanner.common.fleet.InventoryFunction;
import com.qualys.lambdascanner.common.fleet.InventoryRef;
import com.qualys.lambdascanner.common.fleet.InventoryScope;
import com.qualys.lambdascanner.common.fleet.OneLine;
import com.qualys.lambdascanner.common.fleet.RunId;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.inject.Inject;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fleet's first step: every function of every configured account and region, written to S3 as the inventory
 * (for Build Coverage) and the manifest (one {@code {"functionArn": ...}} per function, the Distributed Map's
 * ItemReader). A scope (account and region) that cannot be read is recorded as unreachable with its error and the
 * others go on: one missing spoke role must not hide a whole Organization. An entry ListFunctions returns that is
 * not a valid function of that scope (a hostile or broken spoke) is left out of the manifest and logged; it is not
 * the scope's function, so it is not the fleet's.
 */
public final class EnumerateFleet {

  /** Scopes listed at once: 1,000 scopes (500 accounts, 2 regions) at about a second each fit the 15 minutes. */
  static final int LISTERS = 8;

  private final FleetConfig config;
  private final SpokeAccess spokes;
  private final FunctionLister lister;
  private final OrganizationAccounts organization;
  private final S3Client s3;
  private final JsonCodec json;
  private final StructuredLog log;
  private final Clock clock;

  @Inject
  public EnumerateFleet(
      FleetConfig config, SpokeAccess spokes, FunctionLister lister, OrganizationAccounts organization, S3Client s3,
      JsonCodec json, StructuredLog log, Clock clock) {
    this.config = config;
    this.spokes = spokes;
    this.lister = lister;
    this.organization = organization;
    this.s3 = s3;
    this.json = json;
    this.log = log;
    this.clock = clock;
  }

  /**
   * @param request {@code {"runId": <the fleet execution's name>}}
   * @throws InvalidInputException no valid run id
   * @throws RetryableException S3 throttling or 5xx writing the inventory, STS asking for the own account,
   *     Organizations ListAccounts throttled or 5xx
   * @throws TerminalException the inventory cannot be written
   */
  public InventoryRef enumerate(JsonNode request) {
    String runId = RunId.validate(request == null ? null : request.path("runId"));
    List<String> accounts = new ArrayList<>();
    String organizationError = accounts(runId, accounts);
    List<Scope> read = readAll(runId, accounts);
    List<InventoryScope> scopes = read.stream().map(Scope::scope).toList();
    List<InventoryFunction> functions = read.stream().flatMap(r -> r.functions().stream()).toList();
    FleetInventory inventory =
        new FleetInventory(runId, clock.instant().toString(), scopes, functions, organizationError);
    List<Map<String, String>> manifest = functions.stream().map(f -> Map.of("functionArn", f.functionArn())).toList();
    put(FleetInventory.manifestKey(runId), json.toJson(manifest));
    put(FleetInventory.inventoryKey(runId), json.toJson(inventory));
    int unreachable = (int) scopes.stream().filter(s -> !s.reachable()).count();
    log.info("fleet enumerated", runId, Map.of("functions", functions.size(), "scopes", scopes.size(),
        "unreachableScopes", unreachable));
    return new InventoryRef(runId, config.resultsBucket(), FleetInventory.manifestKey(runId),
        FleetInventory.inventoryKey(runId), functions.size(), scopes.size(), unreachable);
  }

  /**
   * The own account first, then FLEET_ACCOUNTS, then (when asked) the Organization's ACTIVE accounts, each once.
   * A refused ListAccounts (not the management account or a delegated administrator) does not stop the run: the
   * listed accounts are enumerated and the refusal is returned, for the inventory and the coverage to say so.
   * Throttling and 5xx propagate as {@link RetryableException}: the state machine retries the whole step.
   */
  private String accounts(String runId, List<String> into) {
    LinkedHashSet<String> accounts = new LinkedHashSet<>();
    accounts.add(spokes.ownAccount());
    accounts.addAll(config.accounts());
    String error = null;
    if (config.accountsFromOrganization()) {
      try {
        List<String> listed = organization.activeAccounts(detail ->
            log.warn("organization entry rejected", runId, Map.of("detail", detail)));
        accounts.addAll(listed);
        log.info("organization listed", runId, Map.of("activeAccounts", listed.size()));
      } catch (TerminalException e) {
        error = OneLine.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        log.warn("organization not listed", runId, Map.of("error", error));
      }
    }
    into.addAll(accounts);
    return error;
  }

  /**
   * Every scope, {@link #LISTERS} at a time (ListFunctions and STS quotas are per account: scopes of different
   * accounts do not compete), in the order of the accounts and regions.
   */
  private List<Scope> readAll(String runId, List<String> accounts) {
    try (ExecutorService listers = Executors.newFixedThreadPool(LISTERS, Thread.ofVirtual().factory())) {
      List<Future<Scope>> reads = new ArrayList<>();
      for (String account : accounts) {
        for (String region : config.regions()) {
          reads.add(listers.submit(() -> read(account, region, runId)));
        }
      }
      List<Scope> scopes = new ArrayList<>();
      for (Future<Scope> read : reads) {
        scopes.add(read.get());
      }
      return scopes;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new TerminalException("listing the fleet failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("interrupted listing the fleet", e);
    }
  }

  private Scope read(String account, String region, String runId) {
    List<FunctionConfiguration> listed;
    try {
      listed = lister.list(account, region, runId);
    } catch (TerminalException | RetryableException e) {
      String error = OneLine.of(e.getClass().getSimpleName() + ": " + e.getMessage());
      log.warn("fleet scope unreachable", runId, Map.of("accountId", account, "region", region, "error", error));
      return new Scope(new InventoryScope(account, region, false, 0, error), List.of());
    }
    List<InventoryFunction> kept = new ArrayList<>();
    for (FunctionConfiguration function : listed) {
      InventoryFunction entry = entry(function, account, region);
      if (entry == null) {
        log.warn("fleet entry rejected", runId, Map.of("accountId", account, "region", region,
            "detail", "ListFunctions returned an entry that is not a valid function of this account and region"));
        continue;
      }
      kept.add(entry);
    }
    return new Scope(new InventoryScope(account, region, true, kept.size(), null), kept);
  }

  private record Scope(InventoryScope scope, List<InventoryFunction> functions) {}

  private static InventoryFunction entry(FunctionConfiguration function, String account, String region) {
    LambdaArn arn;
    try {
      arn = LambdaArn.parse(function.functionArn());
    } catch (InvalidInputException e) {
      return null;
    }
    if (!arn.accountId().equals(account) || !arn.region().equals(region) || arn.qualifier() != null) {
      return null;
    }
    List<String> layers = function.layers() == null
        ? List.of()
        : function.layers().stream().map(Layer::arn).filter(a -> a != null && a.length() <= 256).toList();
    return new InventoryFunction(arn.unqualified(), account, region, arn.functionName(),
        function.packageTypeAsString() == null ? "Zip" : function.packageTypeAsString(),
        function.runtimeAsString(), function.codeSha256(), layers);
  }

  private void put(String key, String body) {
    try {
      s3.putObject(b -> b.bucket(config.resultsBucket()).key(key).contentType("application/json"),
          RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
    } catch (AwsServiceException e) {
      String what = "s3:PutObject on " + config.resultsBucket() + "/" + key + " failed (HTTP " + e.statusCode() + ")";
      throw e.isThrottlingException() || e.statusCode() >= 500
          ? new RetryableException(what, e)
          : new TerminalException(what, e);
    } catch (SdkException e) {
      throw new RetryableException("s3:PutObject on " + config.resultsBucket() + "/" + key + " did not complete", e);
    }
  }
}
