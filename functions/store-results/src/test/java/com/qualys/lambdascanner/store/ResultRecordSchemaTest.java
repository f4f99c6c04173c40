package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.Outcome;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.ScanResult;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import com.qualys.lambdascanner.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Built records against docs/result-record.schema.json: the schema readers rely on says what we write. */
class ResultRecordSchemaTest {

  private static final Instant NOW = Instant.parse("2026-11-27T13:03:05Z");
  private static Schema schema;

  private final JsonCodec json = new JsonCodec();
  private final ResultRecordBuilder builder = new ResultRecordBuilder();

  @BeforeAll
  static void loadSchema() throws IOException {
    String text = Files.readString(Events.root().resolve("docs/result-record.schema.json"));
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
  }

  private List<Error> validate(RecordRequest request) {
    return schema.validate(json.toJson(builder.build(request, NOW)), InputFormat.JSON);
  }

  @Test
  void validate_whenDenied_expectValid() {
    assertThat(validate(Events.request("store-results", "scanned.json"))).isEmpty();
  }

  @Test
  void validate_whenPartialOrCodeChanged_expectValid() {
    assertThat(validate(Events.request("store-results", "partial.json"))).isEmpty();
    assertThat(validate(Events.request("store-results", "code-changed.json"))).isEmpty();
  }

  @Test
  void validate_whenSucceeded_expectValid() {
    RecordRequest request = Events.request("store-results", "scanned.json");
    PipelineState s = request.state();
    ScanResult scan = s.scan();
    ScanResult completed =
        new ScanResult(Outcome.COMPLETED, 0, scan.scannerVersion(), "get-report", scan.counts(), 1, scan.topFindings(),
            scan.reportBucket(), scan.reportKeys(), scan.startedAt(), scan.finishedAt(), null);
    PipelineState state =
        new PipelineState(s.scanId(), s.target(), s.trigger(), s.decision(), s.dedupKey(), s.credentials(), completed,
            null, null);

    assertThat(validate(new RecordRequest(request.executionArn(), Ending.SCANNED, state))).isEmpty();
  }

  @Test
  void validate_whenFailed_expectValid() {
    assertThat(validate(Events.request("store-results", "failed.json"))).isEmpty();
  }

  @Test
  void validate_whenTimedOut_expectValid() {
    assertThat(validate(Events.request("store-results", "timed-out.json"))).isEmpty();
  }

  @Test
  void validate_whenSkipped_expectValid() {
    assertThat(validate(Events.request("store-results", "skipped.json"))).isEmpty();
  }

  @Test
  void validate_whenRecordBreaksSchema_expectErrors() {
    // The schema must be able to fail: a deny without a policy result, a severity out of range.
    String broken =
        json.toJson(builder.build(Events.request("store-results", "scanned.json"), NOW))
            .replace("\"policyResult\":\"DENY\"", "\"policyResult\":null")
            .replace("\"highestSeverity\":5", "\"highestSeverity\":9");

    assertThat(schema.validate(broken, InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
  }
}
