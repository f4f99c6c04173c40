package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.SecurityHubResult;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipeline's CloudWatch metrics as one embedded-metric-format line per record (namespace
 * {@value #NAMESPACE}): no PutMetricData call, no extra permission. Store Results emits it because it is the
 * one step every ending passes through (Notify is not called for skips). Metrics carry no dimensions: one
 * series per metric keeps the cost flat however many functions are scanned; the per-function detail is in the
 * record and the log line.
 */
public final class ScanMetrics {

  public static final String NAMESPACE = "QualysLambdaScanner";

  private final JsonCodec json;
  private final Consumer<String> sink;

  public ScanMetrics(JsonCodec json, Consumer<String> sink) {
    this.json = json;
    this.sink = sink;
  }

  public void emit(ResultRecord record) {
    sink.accept(json.toJson(line(record)));
  }

  Map<String, Object> line(ResultRecord record) {
    RecordStatus status = record.status();
    boolean completed =
        status == RecordStatus.SUCCEEDED
            || status == RecordStatus.POLICY_DENY
            || status == RecordStatus.POLICY_AUDIT
            || status == RecordStatus.PARTIAL;

    Map<String, Number> values = new LinkedHashMap<>();
    values.put("ScansCompleted", completed ? 1 : 0);
    values.put("ScanFailures", status == RecordStatus.FAILED ? 1 : 0);
    values.put("ScanTimeouts", status == RecordStatus.TIMED_OUT ? 1 : 0);
    values.put("ScansSkipped", status == RecordStatus.SKIPPED ? 1 : 0);
    values.put(
        "DuplicatesSkipped",
        status == RecordStatus.SKIPPED && record.skipReason() == SkipReason.DUPLICATE ? 1 : 0);
    values.put("PolicyDenials", status == RecordStatus.POLICY_DENY ? 1 : 0);
    values.put("CodeChangedDuringScan", status == RecordStatus.CODE_CHANGED ? 1 : 0);
    if (record.timings().durationMs() != null) {
      values.put("ScanDurationMs", record.timings().durationMs());
    }
    if (completed) {
      SeverityCounts counts = record.counts();
      values.put("FindingsUrgent", counts.urgent());
      values.put("FindingsCritical", counts.critical());
      values.put("FindingsSerious", counts.serious());
      values.put("FindingsMedium", counts.medium());
      values.put("FindingsMinimal", counts.minimal());
      // The scanned function by risk band (the record's risk: over all its findings), one series per band.
      RiskScore.Band band = RiskScore.Band.of(risk(record));
      for (RiskScore.Band b : List.of(RiskScore.Band.CRITICAL, RiskScore.Band.HIGH, RiskScore.Band.MEDIUM,
          RiskScore.Band.LOW)) {
        values.put("ScansAtRisk" + b.name().charAt(0) + b.name().substring(1).toLowerCase(Locale.ROOT),
            band == b ? 1 : 0);
      }
    }
    if (record.securityHub() != null) {
      // The dashboard's export failures: a failed or partial import (the next scan imports it again).
      String exported = record.securityHub().status();
      values.put("SecurityHubExportFailures",
          SecurityHubResult.FAILED.equals(exported) || SecurityHubResult.PARTIAL.equals(exported) ? 1 : 0);
    }

    List<Map<String, String>> definitions = new ArrayList<>();
    for (String name : values.keySet()) {
      definitions.add(Map.of("Name", name, "Unit", name.endsWith("Ms") ? "Milliseconds" : "Count"));
    }
    Map<String, Object> directive = new LinkedHashMap<>();
    directive.put("Namespace", NAMESPACE);
    directive.put("Dimensions", List.of(List.of()));
    directive.put("Metrics", definitions);

    Map<String, Object> line = new LinkedHashMap<>();
    line.put(
        "_aws",
        Map.of(
            "Timestamp", record.timings().recordedAt().toEpochMilli(),
            "CloudWatchMetrics", List.of(directive)));
    line.putAll(values);
    // Searchable context (not metrics): which scan this line counts.
    line.put("scanId", record.scanId());
    line.put("status", status.name());
    // The dashboard's riskiest functions (Logs Insights): which function, and how severe its findings are.
    if (record.target() != null) {
      line.put("functionName", record.target().functionName());
      line.put("accountId", record.target().accountId());
      line.put("region", record.target().region());
    }
    line.put("highestSeverity", record.highestSeverity());
    line.put("risk", risk(record));
    return line;
  }

  /** The record's risk; a record Store Results did not put in context has only its top findings to go on. */
  private static int risk(ResultRecord record) {
    return record.risk() != null
        ? record.risk().score()
        : FunctionRisk.of(record.topFindings(), record.exposure(), FunctionRisk.TOP_FINDINGS, false).score();
  }
}
