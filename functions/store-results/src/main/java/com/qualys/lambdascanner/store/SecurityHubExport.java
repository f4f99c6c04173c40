package com.qualys.lambdascanner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.SecurityHubResult;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Optional ({@code SECURITY_HUB_EXPORT}, off by default): the scan's findings into Security Hub (CSPM) with
 * BatchImportFindings, in the function's own account and region (through the spoke role in hub mode: Security Hub
 * takes a finding only from the account it is about). Every active finding is imported, riskiest first (a rescan
 * updates it: same Id, later UpdatedAt); every finding the previous scan had and this one does not (fixed, or
 * suppressed since) and every finding of a deleted function is re-imported ARCHIVED. 100 findings a call; throttling and 5xx are retried
 * with jittered backoff over seconds (see {@link #ATTEMPTS}); FailedFindings are counted. Never throws: what was not exported goes into the record, and the next
 * scan imports it again (it imports all active findings, and archives again what this one could not).
 */
final class SecurityHubExport {

  static final int BATCH = 100;
  /**
   * Tries per call. Security Hub takes 10 BatchImportFindings a second per account and region, bursts of 30 (its
   * partner guide): a fleet run's concurrent scans, or a big deploy's, exceed that together. The waits grow from 0.5 s
   * to at most 4 s, each a random part of that (full jitter), so the throttled scans spread out over seconds instead
   * of retrying in step; about 10 s of waiting per call before giving up, 20 s at most.
   */
  static final int ATTEMPTS = 8;
  private static final long BACKOFF_BASE_MILLIS = 500;
  private static final long BACKOFF_CAP_MILLIS = 4_000;
  /** At most this much waiting in one export: Store Results' own 60 s must leave room for the record. */
  private static final long WAIT_BUDGET_MILLIS = 25_000;
  /** Enough for a full index (10,000) imported and another archived, even with a few retries. */
  private static final int MAX_CALLS = 250;

  /** Whose credentials import a target's findings: its own account's (the spoke role's in hub mode). */
  interface CredentialsSource {
    AwsCredentialsIdentity forTarget(Target target, String scanId);
  }

  /** Waits between attempts; a test passes one that does not. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final boolean enabled;
  private final SecurityHubClient client;
  private final CredentialsSource credentials;
  private final FindingsContext findings;
  private final StructuredLog log;
  private final Sleeper sleeper;

  SecurityHubExport(boolean enabled, SecurityHubClient client, CredentialsSource credentials, FindingsContext findings,
      StructuredLog log, Sleeper sleeper) {
    this.enabled = enabled;
    this.client = client;
    this.credentials = credentials;
    this.findings = findings;
    this.log = log;
    this.sleeper = sleeper;
  }

  static SecurityHubExport disabled(StructuredLog log) {
    return new SecurityHubExport(false, null, null, null, log, millis -> {});
  }

  /**
   * What exporting this record's findings did; null when the export is off or the record has nothing to export.
   *
   * @param previous the function's record in latest/ (null: none, or unreadable)
   */
  SecurityHubResult export(ResultRecord record, ResultRecord previous, Instant now) {
    if (!enabled || record.target() == null) {
      return null;
    }
    try {
      return exportEnabled(record, previous, now);
    } catch (RetryableException | TerminalException e) {
      // The results bucket failing (reading an index): the store fails with it, as it would without the export.
      throw e;
    } catch (RuntimeException e) {
      log.warn("findings not exported to Security Hub", record.scanId(), Map.of("error", e.getClass().getSimpleName()));
      return new SecurityHubResult(SecurityHubResult.FAILED, null, 0, 0, 0, List.of(), retryIndexKey(previous),
          "export failed: " + e.getClass().getSimpleName());
    }
  }

  private SecurityHubResult exportEnabled(ResultRecord record, ResultRecord previous, Instant now) {
    boolean scanned = switch (record.status()) {
      case SUCCEEDED, POLICY_DENY, POLICY_AUDIT, PARTIAL -> true;
      default -> false;
    };
    boolean deleted = record.status() == RecordStatus.SKIPPED && record.skipReason() == SkipReason.NOT_FOUND
        && "$LATEST".equals(record.target().version());
    if (!scanned && !deleted) {
      return null;
    }
    if (scanned && record.findingsIndexKey() == null) {
      return null;
    }
    Target target = record.target();
    Matcher arn = AsffFindings.FUNCTION_ARN.matcher(String.valueOf(target.functionArn()));
    if (!arn.matches() || !arn.group(1).equals(target.partition()) || !arn.group(2).equals(target.region())
        || !arn.group(4).equals(target.accountId()) || !arn.group(5).equals(target.functionName())) {
      return new SecurityHubResult(SecurityHubResult.FAILED, null, 0, 0, 0, List.of(), null,
          "the target is not a valid Lambda function ARN with its account, region and name");
    }
    String productArn = AsffFindings.productArn(target.partition(), target.region(), target.accountId());
    if (deleted && previous == null) {
      // A skip reads no latest/ record: the deleted function's last findings are in it.
      String latestKey = RecordKeys.latestKeyOf(target);
      previous = latestKey == null ? null
          : findings.latest(latestKey).map(FindingsContext.Latest::record).orElse(null);
    }
    if (previous != null && !FindingsContext.supersedes(record, previous)) {
      return new SecurityHubResult(SecurityHubResult.SKIPPED_OLDER_SCAN, productArn, 0, 0, 0, List.of(), null, null);
    }
    String functionName = target.functionName();

    Map<String, ObjectNode> batch = new LinkedHashMap<>();
    boolean complete = true;
    if (scanned) {
      Optional<FindingsContext.Active> active = findings.active(record.findingsIndexKey(), functionName, now);
      if (active.isEmpty()) {
        return new SecurityHubResult(SecurityHubResult.FAILED, productArn, 0, 0, 0, List.of(),
            retryIndexKey(previous), "the findings index is missing or unreadable");
      }
      // Riskiest first: what a throttled or cut-short export still gets into Security Hub is what matters most.
      for (Finding f : active.get().findings().stream().sorted(RiskScore.RISKIEST_FIRST).toList()) {
        batch.putIfAbsent(AsffFindings.id(target, f),
            AsffFindings.finding(target, f, AsffFindings.ACTIVE, now, record.scanId()));
      }
      // A partial scan or a truncated index cannot tell a fixed finding from one not looked at: archive nothing.
      complete = record.status() != RecordStatus.PARTIAL && !active.get().truncated();
    }
    int activeCount = batch.size();
    if (complete) {
      for (String key : archiveSources(previous)) {
        for (Finding f : findings.active(key, functionName, now).map(FindingsContext.Active::all).orElse(List.of())) {
          batch.putIfAbsent(AsffFindings.id(target, f),
              AsffFindings.finding(target, f, AsffFindings.ARCHIVED, now, record.scanId()));
        }
      }
    }
    if (batch.isEmpty()) {
      return new SecurityHubResult(SecurityHubResult.EXPORTED, productArn, 0, 0, 0, List.of(), null, null);
    }
    SecurityHubResult result = importAll(record, target, productArn, new ArrayList<>(batch.values()), activeCount);
    // What the next scan must archive again if gone by then: what this one could not, or did not try to.
    String retry = SecurityHubResult.EXPORTED.equals(result.status()) && complete ? null
        : previous != null && previous.findingsIndexKey() != null ? previous.findingsIndexKey()
        : retryIndexKey(previous);
    return new SecurityHubResult(result.status(), result.productArn(), result.imported(), result.archived(),
        result.notExported(), result.failedIds(), retry, result.detail());
  }

  /** The indexes whose findings are archived unless still active: the previous scan's, and what it left to retry. */
  private static List<String> archiveSources(ResultRecord previous) {
    if (previous == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    if (previous.findingsIndexKey() != null) {
      keys.add(previous.findingsIndexKey());
    }
    String retry = retryIndexKey(previous);
    if (retry != null && !keys.contains(retry)) {
      keys.add(retry);
    }
    return keys;
  }

  private static String retryIndexKey(ResultRecord previous) {
    return previous == null || previous.securityHub() == null ? null : previous.securityHub().retryIndexKey();
  }

  private SecurityHubResult importAll(
      ResultRecord record, Target target, String productArn, List<ObjectNode> all, int activeCount) {
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.forTarget(target, record.scanId());
    } catch (RuntimeException e) {
      return failed(record, productArn, all, "no credentials for account " + target.accountId() + ": "
          + e.getClass().getSimpleName());
    }
    int imported = 0;
    int archived = 0;
    List<String> failedIds = new ArrayList<>();
    int notExported = 0;
    String detail = null;
    int calls = 0;
    long[] waited = {0};
    for (int from = 0; from < all.size(); from += BATCH) {
      List<ObjectNode> chunk = all.subList(from, Math.min(all.size(), from + BATCH));
      Outcome outcome = calls >= MAX_CALLS ? Outcome.refused("call budget spent")
          : send(target, identity, chunk, waited);
      calls += outcome.calls();
      for (int i = 0; i < chunk.size(); i++) {
        String id = chunk.get(i).get("Id").asText();
        if (outcome.failed(id)) {
          notExported++;
          if (failedIds.size() < SecurityHubResult.MAX_LISTED) {
            failedIds.add(id);
          }
        } else if (from + i < activeCount) {
          imported++;
        } else {
          archived++;
        }
      }
      if (outcome.detail() != null) {
        detail = outcome.detail();
      }
    }
    String status = notExported == 0 ? SecurityHubResult.EXPORTED
        : notExported == all.size() ? SecurityHubResult.FAILED : SecurityHubResult.PARTIAL;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("productArn", productArn);
    fields.put("imported", imported);
    fields.put("archived", archived);
    fields.put("notExported", notExported);
    fields.put("detail", detail);
    if (notExported == 0) {
      log.info("findings exported to Security Hub", record.scanId(), fields);
    } else {
      log.warn("findings not all exported to Security Hub; the next scan imports them again", record.scanId(), fields);
    }
    return new SecurityHubResult(status, productArn, imported, archived, notExported, failedIds, null, detail);
  }

  private SecurityHubResult failed(ResultRecord record, String productArn, List<ObjectNode> all, String detail) {
    log.warn("findings not exported to Security Hub", record.scanId(), Map.of("detail", detail));
    List<String> ids = all.stream().limit(SecurityHubResult.MAX_LISTED).map(f -> f.get("Id").asText()).toList();
    return new SecurityHubResult(SecurityHubResult.FAILED, productArn, 0, 0, all.size(), ids, null, detail);
  }

  /** One batch's fate: the Ids Security Hub did not take (all of them when the call itself failed). */
  private record Outcome(boolean allFailed, List<String> failedIds, String detail, int calls) {
    static Outcome refused(String detail) {
      return new Outcome(true, List.of(), detail, 0);
    }

    boolean failed(String id) {
      return allFailed || failedIds.contains(id);
    }
  }

  /**
   * One BatchImportFindings call, retried on throttling, 5xx and network errors.
   *
   * @param waited milliseconds this export has waited so far (updated); none once {@link #WAIT_BUDGET_MILLIS} is spent
   */
  private Outcome send(Target target, AwsCredentialsIdentity identity, List<ObjectNode> chunk, long[] waited) {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.putArray("Findings").addAll(chunk);
    String detail = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        SecurityHubClient.Response response = client.batchImportFindings(target.region(), identity, request);
        if (response.ok()) {
          List<String> failed = new ArrayList<>();
          String code = null;
          for (JsonNode f : response.body() == null ? List.<JsonNode>of() : list(response.body().path("FailedFindings"))) {
            failed.add(f.path("Id").asText());
            code = code == null ? SecurityHubClient.token(f.path("ErrorCode").asText(null)) : code;
          }
          return new Outcome(false, failed, code == null ? null : "FailedFindings: " + code, attempt);
        }
        detail = (response.errorCode() == null ? "error" : response.errorCode()) + " (HTTP " + response.status() + ")";
        if (!(response.status() == 429 || response.status() >= 500 || "ThrottlingException".equals(response.errorCode())
            || "TooManyRequestsException".equals(response.errorCode()))) {
          return new Outcome(true, List.of(), detail, attempt);
        }
      } catch (IOException | UncheckedIOException e) {
        detail = "Security Hub unreachable: " + e.getClass().getSimpleName();
      } catch (RuntimeException e) {
        // The signer or the HTTP client refusing (a bad endpoint, say): not worth retrying.
        return new Outcome(true, List.of(), "Security Hub call failed: " + e.getClass().getSimpleName(), attempt);
      }
      long wait = ThreadLocalRandom.current().nextLong(
          Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << (attempt - 1)) + 1);
      if (attempt < ATTEMPTS && waited[0] + wait <= WAIT_BUDGET_MILLIS) {
        waited[0] += wait;
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Outcome(true, List.of(), detail, attempt);
        }
      } else {
        return new Outcome(true, List.of(), detail, attempt);
      }
    }
    return new Outcome(true, List.of(), detail, ATTEMPTS);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> nodes = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(nodes::add);
    }
    return nodes;
  }
}
