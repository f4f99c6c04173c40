package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.testing.Events;
import java.util.ArrayList;
import java.util.List;

/** Variations on the sample events. */
final class Fixtures {

  private Fixtures() {}

  static RecordRequest scanned() {
    return Events.request("notify", "scanned.json");
  }

  static RecordRequest withScanId(RecordRequest r, String scanId) {
    PipelineState s = r.state();
    return new RecordRequest(
        r.executionArn(),
        r.ending(),
        new PipelineState(
            scanId, s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(), s.record(),
            s.error()));
  }

  static RecordRequest withScan(RecordRequest r, ScanResult scan) {
    PipelineState s = r.state();
    return new RecordRequest(
        r.executionArn(),
        Ending.SCANNED,
        new PipelineState(
            s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), scan, s.record(),
            s.error()));
  }

  static RecordRequest withTarget(RecordRequest r, Target target) {
    PipelineState s = r.state();
    return new RecordRequest(
        r.executionArn(),
        r.ending(),
        new PipelineState(
            s.scanId(), target, s.trigger(), s.decision(), s.dedupKey(), s.credentials(), s.scan(), s.record(),
            s.error()));
  }

  static Target renamed(Target t, String name) {
    return new Target(
        t.partition(), t.accountId(), t.region(), name, t.functionArn(), t.version(), t.packageType(), t.runtime(),
        t.architectures(), t.codeSha256(), t.imageUri(), t.imageDigest(), t.layers(), t.state());
  }

  /** A clean get-report scan: no findings. */
  static RecordRequest clean(RecordRequest r) {
    ScanResult s = r.state().scan();
    return withScan(
        r,
        new ScanResult(
            Outcome.COMPLETED, 0, s.scannerVersion(), "get-report", SeverityCounts.NONE, 0, List.of(),
            s.reportBucket(), s.reportKeys(), s.startedAt(), s.finishedAt(), null));
  }

  /** A scan with {@code count} findings, each with a title of {@code titleLength} characters. */
  static RecordRequest manyFindings(RecordRequest r, int count, int titleLength) {
    ScanResult s = r.state().scan();
    List<Finding> findings = new ArrayList<>();
    SeverityCounts counts = SeverityCounts.NONE;
    for (int i = 0; i < count; i++) {
      int severity = 5 - (i % 5);
      counts = counts.plus(severity);
      findings.add(
          new Finding(
              Integer.toString(5_000_000 + i), List.of("CVE-2024-" + (10_000 + i)), severity,
              "T".repeat(titleLength), "pkg-" + i, "1.0." + i, "1.1." + i, null, null));
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      keys.add("reports/123456789012/us-east-1/orders-api/" + r.state().scanId() + "/part-" + i + "-Report.json");
    }
    return withScan(
        r,
        new ScanResult(
            s.outcome(), s.exitCode(), s.scannerVersion(), s.mode(), counts, 3, findings, s.reportBucket(), keys,
            s.startedAt(), s.finishedAt(), null));
  }
}
