package com.qualys.lambdascanner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.common.record.SecurityHubResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes the execution's result record, the function's latest record, and settles the dedup claim: a full verdict
 * (SUCCEEDED, POLICY_DENY, POLICY_AUDIT) marks it COMPLETED (later events for the same code are duplicates); a
 * partial scan, a scan during which the code changed, a failure or a timeout deletes it (the next event scans
 * again); a skip leaves it alone. Every write is keyed by the execution, so a retried
 * execution overwrites what it wrote before instead of adding to it.
 */
@Singleton
public final class StoreResults {

  private static final String JSON = "application/json";

  private final S3Client s3;
  private final StoreResultsConfig config;
  private final JsonCodec json;
  private final StructuredLog log;
  private final ResultRecordBuilder builder;
  private final ScanMetrics metrics;
  private final Clock clock;
  private final FunctionTagger tagger;
  private final FindingsContext findings;
  private final Quarantine quarantine;
  private final SecurityHubExport securityHub;

  /** With the findings context read from the same bucket, through the same client. */
  public StoreResults(
      S3Client s3,
      StoreResultsConfig config,
      JsonCodec json,
      StructuredLog log,
      ResultRecordBuilder builder,
      ScanMetrics metrics,
      Clock clock,
      FunctionTagger tagger) {
    this(s3, config, json, log, builder, metrics, clock, tagger, new FindingsContext(s3, config, json, log),
        Quarantine.disabled(log), SecurityHubExport.disabled(log));
  }

  @Inject
  public StoreResults(
      S3Client s3,
      StoreResultsConfig config,
      JsonCodec json,
      StructuredLog log,
      ResultRecordBuilder builder,
      ScanMetrics metrics,
      Clock clock,
      FunctionTagger tagger,
      FindingsContext findings,
      Quarantine quarantine,
      SecurityHubExport securityHub) {
    this.securityHub = securityHub;
    this.findings = findings;
    this.quarantine = quarantine;
    this.s3 = s3;
    this.config = config;
    this.json = json;
    this.log = log;
    this.builder = builder;
    this.metrics = metrics;
    this.clock = clock;
    this.tagger = tagger;
  }

  public StoredRecord store(RecordRequest request) {
    ResultRecord record = builder.build(request, clock.instant());
    String key = RecordKeys.resultKey(record);
    String latestKey = RecordKeys.latestKey(record);
    Optional<FindingsContext.Latest> latest =
        latestKey == null ? Optional.empty() : findings.latest(latestKey);
    record = findings.apply(record, latest.map(FindingsContext.Latest::record).orElse(null), clock.instant());
    // Before the record is written, so that it says what was done (a retry quarantines again: idempotent).
    QuarantineResult quarantined = quarantine.apply(record);
    if (quarantined != null) {
      record = record.withQuarantine(quarantined);
    }
    // Before the record too, so that it says what was not exported; never throws (an outage costs no record).
    SecurityHubResult exported =
        securityHub.export(record, latest.map(FindingsContext.Latest::record).orElse(null), clock.instant());
    if (exported != null) {
      record = record.withSecurityHub(exported);
    }
    String body = json.toJson(record);

    put(key, body);
    if (latestKey != null && !advanceLatest(latestKey, record, body, latest)) {
      latestKey = null;
    }
    String dedupKey = request.state() == null ? null : request.state().dedupKey();
    String claim = dedupKey == null || dedupKey.isBlank() ? "none" : settleClaim(record, dedupKey);
    // After the record: a tag is a convenience copy of it and never throws, so it cannot cost the record.
    String tags = tagger.tag(request.ending(), record);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("status", record.status().name());
    fields.put("bucket", config.bucket());
    fields.put("key", key);
    fields.put("latestKey", latestKey);
    fields.put("claim", claim);
    fields.put("tags", tags);
    log.info("result record stored", record.scanId(), fields);
    metrics.emit(record);
    return new StoredRecord(
        config.bucket(), key, latestKey, record.status(), record.changes(), record.suppressions(),
        record.quarantine(), record.risk());
  }

  /**
   * Writes latest/ unless it already holds a later scan of the function (an execution that finished out of
   * order), conditionally on what was read, so that two executions racing cannot move it back either: on a
   * conflict it is read and decided again.
   *
   * @return whether latest/ now holds this record
   */
  private boolean advanceLatest(
      String latestKey, ResultRecord record, String body, Optional<FindingsContext.Latest> latest) {
    Optional<FindingsContext.Latest> seen = latest;
    for (int attempt = 0; attempt < 3; attempt++) {
      ResultRecord previous = seen.map(FindingsContext.Latest::record).orElse(null);
      if (!FindingsContext.supersedes(record, previous)) {
        log.info(
            "latest record left as it is: it holds a later scan",
            record.scanId(),
            Map.of("latestKey", latestKey, "latestScanId", previous.scanId()));
        return false;
      }
      if (putIfUnchanged(latestKey, body, seen.map(FindingsContext.Latest::etag).orElse(null))) {
        return true;
      }
      seen = findings.latest(latestKey);
    }
    throw new RetryableException("latest record " + latestKey + " keeps changing; retry");
  }

  /** What happened to the claim: completed, released, kept, absent or foreign (another scan's). */
  private String settleClaim(ResultRecord record, String dedupKey) {
    String claimKey = RecordKeys.claimKey(dedupKey);
    Action action =
        switch (record.status()) {
          // A verdict whose report held results the parser could not map is not a full one (issue 10, item 9).
          case SUCCEEDED, POLICY_DENY, POLICY_AUDIT ->
              record.scanner() != null && record.scanner().findingsUnmapped() ? Action.RELEASE : Action.COMPLETE;
          // Not a full verdict on the claimed code: the next event for it must scan again (issue 10, items 3, 4, 9).
          case PARTIAL, CODE_CHANGED, FAILED, TIMED_OUT -> Action.RELEASE;
          case SKIPPED -> Action.KEEP;
        };
    if (action == Action.KEEP) {
      return "kept";
    }
    Optional<Claim> existing = get(claimKey);
    if (existing.isEmpty()) {
      // Expired and cleaned up, or never taken (a forced scan): nothing to settle, and creating one here
      // would invent a claim Resolve Target did not make.
      return "absent";
    }
    JsonNode current = existing.get().body();
    JsonNode owner = current.get("scanId");
    if (owner != null && owner.isTextual() && !owner.asText().equals(record.scanId())) {
      // The claim expired and another execution took it since: it is theirs to settle.
      log.warn(
          "dedup claim belongs to another scan; left as it is",
          record.scanId(),
          Map.of("claimKey", claimKey, "claimScanId", owner.asText()));
      return "foreign";
    }
    if (action == Action.RELEASE) {
      delete(claimKey);
      return "released";
    }
    ObjectNode completed = current.isObject() ? ((ObjectNode) current).deepCopy() : json.mapper().createObjectNode();
    completed.put("status", "COMPLETED");
    completed.put("scanId", record.scanId());
    completed.put("completedAt", record.timings().recordedAt().toString());
    if (!putIfUnchanged(claimKey, json.toJson(completed), existing.get().etag())) {
      // Changed between our read and write: another execution took it over; it is theirs to settle.
      log.warn("dedup claim changed while settling; left as it is", record.scanId(), Map.of("claimKey", claimKey));
      return "foreign";
    }
    return "completed";
  }

  /** A claim's body and the ETag it was read with. */
  private record Claim(JsonNode body, String etag) {}

  private enum Action {
    COMPLETE,
    RELEASE,
    KEEP
  }

  private void put(String key, String body) {
    try {
      s3.putObject(
          b -> b.bucket(config.bucket())
              .key(key)
              .contentType(JSON),
          RequestBody.fromString(body));
    } catch (S3Exception e) {
      throw classify("write", key, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to write s3://" + config.bucket() + "/" + key, e);
    }
  }

  private Optional<Claim> get(String key) {
    try {
      var object = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key));
      JsonNode body;
      try {
        body = json.mapper().readTree(object.asByteArray());
      } catch (java.io.IOException e) {
        // Unreadable claim: treat it as ours, it is about to be settled anyway.
        body = json.mapper().createObjectNode();
      }
      return Optional.of(new Claim(body == null ? json.mapper().createObjectNode() : body, object.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw classify("read", key, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to read s3://" + config.bucket() + "/" + key, e);
    }
  }

  /**
   * Overwrites the object only if it still has this ETag (with none: only if it still does not exist); false when
   * it changed (412), appeared or vanished.
   */
  private boolean putIfUnchanged(String key, String body, String etag) {
    try {
      s3.putObject(
          b -> {
            b.bucket(config.bucket())
                .key(key)
                .contentType(JSON);
            if (etag == null) {
              b.ifNoneMatch("*");
            } else {
              b.ifMatch(etag);
            }
          },
          RequestBody.fromString(body));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409 || (e.statusCode() == 404 && !isNoSuchBucket(e))) {
        return false;
      }
      throw classify("write", key, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to write s3://" + config.bucket() + "/" + key, e);
    }
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  private void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
    } catch (S3Exception e) {
      throw classify("delete", key, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to delete s3://" + config.bucket() + "/" + key, e);
    }
  }

  /** Throttling (503 SlowDown, 429) and server errors heal; a missing bucket or a denied write does not. */
  static RuntimeException classify(String verb, String where, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = "cannot " + verb + " " + where + " in the results bucket: " + code + " (HTTP " + e.statusCode() + ")";
    if (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 429) {
      return new RetryableException(message);
    }
    return new TerminalException(message);
  }
}
