package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.Suppressions;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts a record in context before it is stored: the function's previous record in {@code latest/} (read with
 * its ETag, so that latest/ only ever moves forward), the suppression list, and what is new, fixed and
 * persisting since the previous scan.
 */
@Singleton
final class FindingsContext {

  private static final int MAX_INDEX_BYTES = 32 << 20;

  private final S3Client s3;
  private final StoreResultsConfig config;
  private final JsonCodec json;
  private final StructuredLog log;

  @Inject
  FindingsContext(S3Client s3, StoreResultsConfig config, JsonCodec json, StructuredLog log) {
    this.s3 = s3;
    this.config = config;
    this.json = json;
    this.log = log;
  }

  /**
   * The record in latest/ and the ETag it was read with.
   *
   * @param record the record, null when the object is there but unreadable (it is then simply replaced)
   */
  record Latest(ResultRecord record, String etag) {}

  /** The object in latest/, or empty when there is none. */
  Optional<Latest> latest(String latestKey) {
    Optional<S3Read> read = read(latestKey);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ResultRecord previous;
    try {
      previous = json.mapper().readValue(read.get().bytes(), ResultRecord.class);
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("the latest record is unreadable; it will be replaced", null, Map.of("key", latestKey));
      previous = null;
    }
    return Optional.of(new Latest(previous, read.get().etag()));
  }

  /**
   * Whether {@code current} describes a later state of the function than {@code previous}: by the time of the
   * change that triggered each (else when each scan started, else when each was recorded). The same scan
   * (a retried execution) always is, so that a retry rewrites what it wrote.
   */
  static boolean supersedes(ResultRecord current, ResultRecord previous) {
    if (previous == null || current.scanId().equals(previous.scanId())) {
      return true;
    }
    Instant now = order(current);
    Instant before = order(previous);
    return before == null || (now != null && !now.isBefore(before));
  }

  private static Instant order(ResultRecord r) {
    if (r.timings() == null) {
      return null;
    }
    if (r.timings().triggeredAt() != null) {
      return r.timings().triggeredAt();
    }
    return r.timings().startedAt() != null ? r.timings().startedAt() : r.timings().recordedAt();
  }

  /** The record with its findings context: the locator it has, the index, the changes and suppressions. */
  ResultRecord apply(ResultRecord record, ResultRecord previous, Instant now) {
    boolean scanned =
        record.status() == RecordStatus.SUCCEEDED
            || record.status() == RecordStatus.POLICY_DENY
            || record.status() == RecordStatus.POLICY_AUDIT
            || record.status() == RecordStatus.PARTIAL;
    boolean later = supersedes(record, previous);
    String previousIndex = previous == null || !later ? null : previous.findingsIndexKey();
    if (!scanned) {
      // Nothing was scanned: carry the last known findings forward, so the next scan compares with them.
      return record.status() == RecordStatus.SKIPPED
          ? record
          : record.withFindingsContext(record.qualys(), previousIndex, null, null);
    }
    Optional<FindingsIndex> current =
        record.findingsIndexKey() == null ? Optional.empty() : index(record.findingsIndexKey());
    if (current.isEmpty()) {
      // Without the index, the top findings are all there is to go on: the risk says it is a lower bound.
      return withRisk(
          record.withFindingsContext(
              record.qualys(), previousIndex, FindingChanges.notComputed(FindingChanges.UNAVAILABLE, null), null),
          FunctionRisk.of(record.topFindings(), record.exposure(), FunctionRisk.TOP_FINDINGS, false));
    }
    String functionName = record.target() == null ? null : record.target().functionName();
    SuppressionList list = suppressionList();
    Split split = split(current.get().findings(), list, functionName, now);
    Suppressions suppressions =
        new Suppressions(
            config.suppressionListKey(),
            list.versionId(),
            split.suppressedCounts(),
            split.suppressedIds(),
            list.errors().stream().limit(Suppressions.MAX_LISTED).toList());
    FindingChanges changes;
    if (!later) {
      changes = FindingChanges.notComputed(FindingChanges.NEWER_SCAN_EXISTS, previous.scanId());
    } else if (previous == null || previous.findingsIndexKey() == null) {
      changes = FindingsComparison.compare(split.active(), List.of(), null, !current.get().truncated());
    } else {
      Optional<FindingsIndex> before = index(previous.findingsIndexKey());
      changes =
          before.isEmpty()
              // Gone (its lifecycle expired) or never written: nothing to compare with, as for a first scan.
              ? FindingsComparison.compare(split.active(), List.of(), null, !current.get().truncated())
              : FindingsComparison.compare(
                  split.active(),
                  // What the previous scan had active: under the list it applied, at its time (an entry that
                  // has expired since brings its finding back as new).
                  split(before.get().findings(), previousList(previous, list), functionName, previousTime(previous, now))
                      .active(),
                  previous.scanId(),
                  !current.get().truncated() && !before.get().truncated());
    }
    // Over every finding of the scan the suppression list leaves active, not only the top ones.
    return withRisk(
        record.withFindingsContext(record.qualys(), record.findingsIndexKey(), changes, suppressions),
        FunctionRisk.of(split.active(), record.exposure(), FunctionRisk.INDEX, !current.get().truncated()));
  }

  /** The record with the function's risk, and its top findings riskiest first. */
  private static ResultRecord withRisk(ResultRecord record, FunctionRisk risk) {
    return record.withRisk(risk, record.topFindings().stream().sorted(RiskScore.RISKIEST_FIRST).toList());
  }

  /**
   * A findings index as the Security Hub export needs it.
   *
   * @param findings those the suppression list does not suppress now
   * @param all every finding in the index
   * @param truncated whether the index left findings out
   */
  record Active(List<Finding> findings, List<Finding> all, boolean truncated) {}

  /** The findings of an index, split by the suppression list as it is now; empty when missing or unreadable. */
  Optional<Active> active(String indexKey, String functionName, Instant now) {
    return index(indexKey).map(i -> new Active(
        split(i.findings(), suppressionList(), functionName, now).active(), i.findings(), i.truncated()));
  }

  private record Split(List<Finding> active, SeverityCounts suppressedCounts, List<String> suppressedIds) {}

  private static Split split(List<Finding> findings, SuppressionList list, String functionName, Instant now) {
    List<Finding> active = new ArrayList<>();
    SeverityCounts counts = SeverityCounts.NONE;
    List<String> ids = new ArrayList<>();
    for (Finding f : findings) {
      if (list.suppresses(f, functionName, now)) {
        counts = counts.plus(f.severity());
        if (ids.size() < Suppressions.MAX_LISTED) {
          ids.add(FindingsIndex.id(f));
        }
      } else {
        active.add(f);
      }
    }
    return new Split(active, counts, ids);
  }

  /** The list the previous record applied: that S3 version, else (unversioned, or gone) the current one. */
  private SuppressionList previousList(ResultRecord previous, SuppressionList current) {
    Suppressions applied = previous.suppressions();
    if (applied == null) {
      return SuppressionList.EMPTY;
    }
    String version = applied.listVersionId();
    if (version == null || version.equals(current.versionId()) || !config.suppressionListKey().equals(applied.listKey())) {
      return current;
    }
    SuppressionList then = suppressionList(version);
    return then == SuppressionList.EMPTY ? current : then;
  }

  private static Instant previousTime(ResultRecord previous, Instant now) {
    return previous.timings() != null && previous.timings().recordedAt() != null
        ? previous.timings().recordedAt()
        : now;
  }

  /** The suppression list as it is now; absent means empty. */
  SuppressionList suppressionList() {
    return suppressionList(null);
  }

  /** The suppression list at this S3 version (null: the current one); absent means empty. */
  private SuppressionList suppressionList(String versionId) {
    Optional<S3Read> read = read(config.suppressionListKey(), versionId);
    if (read.isEmpty()) {
      return SuppressionList.EMPTY;
    }
    return SuppressionList.parse(read.get().bytes()).withVersion(read.get().versionId());
  }

  /** A findings index; empty when it is missing or unreadable (then nothing is compared). */
  private Optional<FindingsIndex> index(String key) {
    if (key == null || !key.startsWith("reports/") || !key.endsWith("/" + FindingsIndex.FILE_NAME)) {
      return Optional.empty();
    }
    Optional<S3Read> read = read(key);
    if (read.isEmpty() || read.get().bytes().length > MAX_INDEX_BYTES) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.mapper().readValue(read.get().bytes(), FindingsIndex.class));
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("a findings index is unreadable; nothing compared", null, Map.of("key", key));
      return Optional.empty();
    }
  }

  record S3Read(byte[] bytes, String etag, String versionId) {}

  private Optional<S3Read> read(String key) {
    return read(key, null);
  }

  private Optional<S3Read> read(String key, String versionId) {
    try {
      var object = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key).versionId(versionId));
      return Optional.of(
          new S3Read(object.asByteArray(), object.response().eTag(), object.response().versionId()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw StoreResults.classify("read", key, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to read s3://" + config.bucket() + "/" + key, e);
    }
  }
}
