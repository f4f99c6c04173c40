package com.qualys.lambdascanner.fleet.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.fleet.FleetInventory;
import com.qualys.lambdascanner.common.fleet.InventoryFunction;
import com.qualys.lambdascanner.common.fleet.InventoryScope;
import com.qualys.lambdascanner.common.fleet.OneLine;
import com.qualys.lambdascanner.common.fleet.RunId;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The fleet's last step: every function of the inventory with its coverage state (see {@link Classifier}), the
 * unreachable scopes (with the functions the previous run found there, else one {@code *} entry per scope), a
 * summary, written to {@code coverage/runs/<runId>.json} and {@code coverage/latest.json} (and as a page,
 * {@code coverage/latest.html}); then the EMF metrics and
 * one SNS message with the summary. Runs when the map failed too (the state hands in its error): the coverage then
 * shows what did not finish as NOT_SCANNED, so a fleet run always ends in a stored file and a message.
 */
public final class BuildCoverage {

  static final String LATEST_KEY = "coverage/latest.json";
  /** The same run as a page for people (FleetReportHtml), beside the JSON. */
  static final String LATEST_HTML_KEY = "coverage/latest.html";
  /** Latest-record reads in flight: S3 serves far more; a 50,000-function fleet reads in about a minute. */
  static final int READERS = 16;

  private final CoverageConfig config;
  private final FleetObjects objects;
  private final SnsClient sns;
  private final CoverageMetrics metrics;
  private final JsonCodec json;
  private final StructuredLog log;
  private final Clock clock;
  private final Classifier classifier;

  @Inject
  public BuildCoverage(CoverageConfig config, FleetObjects objects, SnsClient sns, CoverageMetrics metrics,
      JsonCodec json, StructuredLog log, Clock clock) {
    this.config = config;
    this.objects = objects;
    this.sns = sns;
    this.metrics = metrics;
    this.json = json;
    this.log = log;
    this.clock = clock;
    this.classifier = new Classifier(config.rescanAfter(), json);
  }

  /**
   * @param request {@code {"runId", "executionArn", "results": <the map's output or its error>}}
   * @return {@code {runId, coverageKey, latestKey, summary, messageId}}
   */
  public Map<String, Object> build(JsonNode request) {
    if (request == null || !request.isObject()) {
      throw new InvalidInputException("the request is not a JSON object");
    }
    String runId = RunId.validate(request.path("runId"));
    Instant now = clock.instant();
    FleetInventory inventory = objects.inventory(runId);
    JsonNode results = request.path("results");
    String mapError = null;
    Map<String, JsonNode> items = Map.of();
    if (results.has("ResultWriterDetails")) {
      items = objects.mapResults(results);
    } else {
      mapError = OneLine.of("the fleet map stopped: " + results.path("Error").asText("no result")
          + " " + results.path("Cause").asText(""));
    }
    List<JsonNode> latest = latestRecords(inventory.functions());
    List<CoverageEntry> entries = new ArrayList<>();
    for (int i = 0; i < inventory.functions().size(); i++) {
      InventoryFunction function = inventory.functions().get(i);
      entries.add(classifier.classify(function, items.get(function.functionArn()), latest.get(i), now, mapError));
    }
    JsonNode previous = objects.read(LATEST_KEY).orElse(null);
    entries.addAll(unreachable(inventory.scopes(), previous));
    List<CoverageReport.Scope> scopes = scopes(inventory, latest);
    List<String> notes = notes(scopes, mapError);
    if (inventory.organizationError() != null) {
      // FleetAccountsFromOrganization was on but gave no accounts: the run is not the whole Organization.
      notes.addFirst("The Organization's accounts were not listed, so this run covers the listed accounts only: "
          + inventory.organizationError());
    }
    CoverageSummary summary = CoverageSummary.of(entries);
    String executionArn = request.path("executionArn").isTextual() ? request.path("executionArn").asText() : null;
    CoverageReport report = new CoverageReport(CoverageReport.SCHEMA_VERSION, runId, executionArn,
        inventory.enumeratedAt(), now.toString(), config.rescanAfter().toString(), summary, scopes, notes, entries);
    String body = json.toJson(report);
    String runKey = "coverage/runs/" + runId + ".json";
    objects.put(runKey, body);
    objects.put(LATEST_KEY, body);
    Map<String, JsonNode> latestByArn = new HashMap<>();
    for (int i = 0; i < latest.size(); i++) {
      if (latest.get(i) != null) {
        latestByArn.put(inventory.functions().get(i).functionArn(), latest.get(i));
      }
    }
    objects.put(LATEST_HTML_KEY, FleetReportHtml.render(report, latestByArn, previous), "text/html; charset=utf-8");
    metrics.emit(runId, summary, now);
    String messageId = publish(runId, summary, notes, runKey);
    log.info("fleet coverage stored", runId, Map.of("coverageKey", runKey, "total", summary.total(),
        "scanned", summary.scanned(), "coveragePercent", summary.coveragePercent()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runId", runId);
    out.put("coverageKey", runKey);
    out.put("latestKey", LATEST_KEY);
    out.put("summary", summary);
    out.put("messageId", messageId);
    return out;
  }

  /** Each function's latest record, read {@link #READERS} at a time; null where there is none. */
  private List<JsonNode> latestRecords(List<InventoryFunction> functions) {
    try (ExecutorService readers = Executors.newFixedThreadPool(READERS, Thread.ofVirtual().factory())) {
      List<Future<Optional<JsonNode>>> reads = new ArrayList<>();
      for (InventoryFunction f : functions) {
        String key = "latest/" + f.accountId() + "/" + f.region() + "/" + f.functionName() + ".json";
        reads.add(readers.submit(() -> objects.read(key)));
      }
      List<JsonNode> records = new ArrayList<>();
      for (Future<Optional<JsonNode>> read : reads) {
        records.add(read.get().orElse(null));
      }
      return records;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new TerminalException("reading latest records failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("interrupted reading latest records", e);
    }
  }

  /** Functions of unreachable scopes: those the previous coverage knew there, else one {@code *} per scope. */
  private static List<CoverageEntry> unreachable(List<InventoryScope> scopes, JsonNode previous) {
    List<CoverageEntry> entries = new ArrayList<>();
    List<InventoryScope> down = scopes.stream().filter(s -> !s.reachable()).toList();
    if (down.isEmpty()) {
      return entries;
    }
    for (InventoryScope scope : down) {
      Set<String> known = new HashSet<>();
      if (previous != null) {
        for (JsonNode f : previous.path("functions")) {
          String arn = f.path("functionArn").asText(null);
          if (arn != null && scope.accountId().equals(f.path("accountId").asText())
              && scope.region().equals(f.path("region").asText()) && known.add(arn)) {
            entries.add(Classifier.unreachable(scope.accountId(), scope.region(), arn,
                f.path("functionName").asText(null), f.path("packageType").asText(null), scope.error()));
          }
        }
      }
      if (known.isEmpty()) {
        entries.add(Classifier.unreachable(scope.accountId(), scope.region(), null, "*", null, scope.error()));
      }
    }
    return entries;
  }

  private static List<CoverageReport.Scope> scopes(FleetInventory inventory, List<JsonNode> latest) {
    Set<String> withEvents = new HashSet<>();
    for (int i = 0; i < latest.size(); i++) {
      JsonNode record = latest.get(i);
      if (record != null && "aws.lambda".equals(record.path("trigger").path("source").asText())) {
        InventoryFunction f = inventory.functions().get(i);
        withEvents.add(f.accountId() + "/" + f.region());
      }
    }
    return inventory.scopes().stream().map(s -> new CoverageReport.Scope(s.accountId(), s.region(), s.reachable(),
        s.functions(), s.error(), withEvents.contains(s.accountId() + "/" + s.region()))).toList();
  }

  private static List<String> notes(List<CoverageReport.Scope> scopes, String mapError) {
    List<String> notes = new ArrayList<>();
    for (CoverageReport.Scope s : scopes) {
      if (s.reachable() && s.functions() > 0 && !s.eventsSeen()) {
        notes.add("No Lambda change event has reached the pipeline from account " + s.accountId() + " in "
            + s.region() + ": without a CloudTrail trail recording management events there (CreateTrail), only fleet"
            + " runs scan its functions.");
      }
    }
    if (mapError != null) {
      notes.add(mapError);
    }
    return notes;
  }

  private String publish(String runId, CoverageSummary summary, List<String> notes, String runKey) {
    String subject = "Lambda fleet coverage " + summary.coveragePercent() + "% (" + summary.scanned() + " of "
        + (summary.total() - summary.excluded()) + " eligible functions)";
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "FleetCoverage");
    message.put("runId", runId);
    message.put("summary", summary);
    message.put("coverageKey", runKey);
    message.put("bucket", config.resultsBucket());
    message.put("notes", notes);
    try {
      return sns.publish(b -> b.topicArn(config.topicArn()).subject(subject).message(json.toJson(message))
          .messageAttributes(Map.of(
              "type", MessageAttributeValue.builder().dataType("String").stringValue("FleetCoverage").build(),
              "coveragePercent", MessageAttributeValue.builder().dataType("Number")
                  .stringValue(Double.toString(summary.coveragePercent())).build())))
          .messageId();
    } catch (SdkException e) {
      // The coverage is stored; the state machine retries RetryableException and then notifies the failure.
      throw new RetryableException("sns:Publish of the fleet summary to " + config.topicArn() + " failed", e);
    }
  }

}
