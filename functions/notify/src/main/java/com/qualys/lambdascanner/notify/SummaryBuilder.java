package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.model.Trigger;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.RecordError;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the {@link ScanSummary} and keeps its JSON under {@link #MAX_BYTES}: SNS rejects messages over 256 KiB
 * (message attributes included) and EventBridge entries over 256 KB. It trims in order of least value lost:
 * findings beyond the first few, then the rest of the findings, the report keys, the layer list, the long
 * texts; whatever remains is a handful of bounded fields.
 */
final class SummaryBuilder {

  /** 256 KiB less room for the subject and message attributes (a few hundred bytes at most). */
  static final int MAX_BYTES = 256 * 1024 - 8 * 1024;

  /** A notification points at the record; ten findings say enough to act on. */
  static final int MAX_TOP_FINDINGS = 10;

  private static final int SHORT_TEXT = 256;

  private final JsonCodec json;

  SummaryBuilder(JsonCodec json) {
    this.json = json;
  }

  /** The summary and its JSON, which is under {@link #MAX_BYTES} UTF-8 bytes. */
  record Built(ScanSummary summary, String json) {}

  Built build(ResultRecord record, StoredRecord stored) {
    return build(record, stored, Threshold.OFF);
  }

  /** @param alertOnNew {@code AlertOnNewOnly}: {@link Threshold#OFF} alerts on every scan */
  Built build(ResultRecord record, StoredRecord stored, Threshold alertOnNew) {
    // Riskiest first (RiskScore: QDS, else severity): what is cut to fit is the least risky.
    List<Finding> findings = record.topFindings().stream().sorted(RiskScore.RISKIEST_FIRST).toList();
    int keep = Math.min(findings.size(), MAX_TOP_FINDINGS);
    ScanSummary first = summary(record, stored, findings.subList(0, keep), findings.size() - keep);
    boolean alert = Alerts.alert(first, alertOnNew);
    String headline = Subjects.subject(first);
    return fit(record, stored, findings, first.with(alert, headline));
  }

  private Built fit(ResultRecord record, StoredRecord stored, List<Finding> findings, ScanSummary summary) {
    boolean alert = summary.alert();
    String headline = summary.headline();
    String text = json.toJson(summary);
    // Fewer findings, halving (each finding is bounded only by what qscanner wrote).
    while (tooBig(text) && !summary.topFindings().isEmpty()) {
      int fewer = summary.topFindings().size() / 2;
      summary = summary(record, stored, findings.subList(0, fewer), findings.size() - fewer).with(alert, headline);
      text = json.toJson(summary);
    }
    if (tooBig(text)) {
      summary = withoutBulk(summary);
      text = json.toJson(summary);
    }
    if (tooBig(text)) {
      summary = minimal(summary);
      text = json.toJson(summary);
    }
    return new Built(summary, text);
  }

  static boolean tooBig(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
  }

  private static ScanSummary summary(
      ResultRecord r, StoredRecord stored, List<Finding> findings, int omitted) {
    Target t = r.target();
    return new ScanSummary(
        r.schemaVersion(),
        r.scanId(),
        r.executionArn(),
        r.status(),
        r.skipReason(),
        r.reason(),
        t == null ? null : t.accountId(),
        t == null ? null : t.region(),
        t == null ? null : t.functionName(),
        t == null ? null : t.functionArn(),
        t,
        r.trigger(),
        r.scanner(),
        r.timings(),
        r.counts(),
        r.highestSeverity(),
        r.policyResult(),
        List.copyOf(findings),
        omitted,
        r.secretsFound(),
        r.reportBucket(),
        r.reportKeys(),
        r.error(),
        stored == null ? null : stored.bucket(),
        stored == null ? null : stored.key(),
        r.qualys(),
        stored == null ? null : stored.changes(),
        stored == null ? null : stored.suppressions(),
        true,
        null,
        r.sbom(),
        stored == null ? null : stored.quarantine(),
        risk(r, stored));
  }

  /** Store Results' risk (over every finding); without it, the top findings' (a lower bound), if there are any. */
  private static FunctionRisk risk(ResultRecord r, StoredRecord stored) {
    if (stored != null && stored.risk() != null) {
      return stored.risk();
    }
    return r.topFindings().isEmpty() ? null : FunctionRisk.of(r.topFindings(), r.exposure(), FunctionRisk.TOP_FINDINGS, false);
  }

  /** No report keys, no layers, short texts: what is left is bounded by the inputs' identifiers. */
  private static ScanSummary withoutBulk(ScanSummary s) {
    Target t = s.target();
    Target slim =
        t == null
            ? null
            : new Target(
                t.partition(), t.accountId(), t.region(), t.functionName(), t.functionArn(), t.version(),
                t.packageType(), t.runtime(), t.architectures(), t.codeSha256(), t.imageUri(), t.imageDigest(),
                List.of(), t.state());
    Trigger g = s.trigger();
    Trigger shortTrigger =
        g == null
            ? null
            : new Trigger(
                cut(g.source()), cut(g.eventName()), cut(g.eventId()), cut(g.eventTime()), cut(g.principal()),
                cut(g.reason()));
    RecordError e = s.error();
    return new ScanSummary(
        s.schemaVersion(), s.scanId(), s.executionArn(), s.status(), s.skipReason(), cut(s.reason()),
        s.accountId(), s.region(), s.functionName(), s.functionArn(), slim, shortTrigger, s.scanner(),
        s.timings(), s.counts(), s.highestSeverity(), s.policyResult(), List.of(),
        s.topFindings().size() + s.topFindingsOmitted(), s.secretsFound(), s.reportBucket(), List.of(),
        e == null ? null : new RecordError(cut(e.type()), cut(e.message())), s.recordBucket(), s.recordKey(),
        s.qualys(), s.changes(), s.suppressions(), s.alert(), s.headline(), s.sbom(), s.quarantine(), s.risk());
  }

  /** The last resort for a hostile input: identifiers cut short, nothing nested. */
  private static ScanSummary minimal(ScanSummary s) {
    return new ScanSummary(
        s.schemaVersion(), cut(s.scanId()), cut(s.executionArn()), s.status(), s.skipReason(), cut(s.reason()),
        cut(s.accountId()), cut(s.region()), cut(s.functionName()), cut(s.functionArn()), null, null, null,
        s.timings(), s.counts(), s.highestSeverity(), s.policyResult(), List.of(),
        s.topFindings().size() + s.topFindingsOmitted(), s.secretsFound(), cut(s.reportBucket()), List.of(),
        s.error() == null ? null : new RecordError(cut(s.error().type()), cut(s.error().message())),
        cut(s.recordBucket()), cut(s.recordKey()), s.qualys(), countsOnly(s.changes()), null, s.alert(),
        s.headline(), null, s.quarantine(), s.risk());
  }

  /** The changes without their finding lists. */
  private static FindingChanges countsOnly(FindingChanges c) {
    return c == null
        ? null
        : new FindingChanges(c.comparedWith(), cut(c.previousScanId()), c.newCounts(), c.fixedCounts(),
            c.persistingCounts(), c.newHighestSeverity(), c.newHighestRisk(), List.of(), List.of(), c.complete());
  }

  private static String cut(String text) {
    if (text == null || text.length() <= SHORT_TEXT) {
      return text;
    }
    int end = SHORT_TEXT - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
