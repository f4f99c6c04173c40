package com.qualys.lambdascanner.fleet.coverage;

import com.qualys.lambdascanner.common.json.JsonCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One embedded-metric-format line per fleet run, in the pipeline's namespace and without dimensions (as Store
 * Results' metrics): {@code CoveragePercent}, {@code UnscannedFunctions}, and the counts per state. The
 * CoverageAlarm watches CoveragePercent.
 */
final class CoverageMetrics {

  static final String NAMESPACE = "QualysLambdaScanner";

  private final JsonCodec json;
  private final Consumer<String> sink;

  CoverageMetrics(JsonCodec json, Consumer<String> sink) {
    this.json = json;
    this.sink = sink;
  }

  void emit(String runId, CoverageSummary summary, Instant at) {
    Map<String, Number> values = new LinkedHashMap<>();
    values.put("CoveragePercent", summary.coveragePercent());
    values.put("UnscannedFunctions", summary.unscanned());
    values.put("FleetFunctions", summary.total());
    values.put("FleetFailedFunctions", summary.failed());
    values.put("FleetUnreachableFunctions", summary.unreachable());
    Map<String, Object> directive = new LinkedHashMap<>();
    directive.put("Namespace", NAMESPACE);
    directive.put("Dimensions", List.of(List.of()));
    directive.put("Metrics", values.keySet().stream()
        .map(name -> Map.of("Name", name, "Unit", name.endsWith("Percent") ? "Percent" : "Count")).toList());
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_aws", Map.of("Timestamp", at.toEpochMilli(), "CloudWatchMetrics", List.of(directive)));
    line.putAll(values);
    line.put("runId", runId);
    sink.accept(json.toJson(line));
  }
}
