package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Decision.Action;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exposure is read for a function that will be scanned, and only then; it travels in the state and the log. */
class ResolveTargetExposureTest {

  private static final Exposure PUBLIC = new Exposure(
      ExposureFact.yes("a Function URL with AuthType NONE", List.of("Function URL (unqualified) AuthType NONE")),
      ExposureFact.no("none"), ExposureFact.no("none"), ExposureFact.unknown("access denied"), ExposureFact.no("none"));

  private final FakeDescriber lambda = new FakeDescriber();
  private final FakeExposureReader exposure = new FakeExposureReader(PUBLIC);
  private final CapturingLogger logger = new CapturingLogger();

  private ResolveTarget sut() {
    return new ResolveTarget(new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"), lambda,
        exposure, new InMemoryClaimStore(), new StructuredLog(new JsonCodec(), logger),
        Clock.fixed(Instant.parse("2026-11-20T10:16:00Z"), ZoneOffset.UTC));
  }

  @Test
  void resolve_whenScanned_expectationExposureInStateAndLog() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.exposure()).isEqualTo(PUBLIC);
    assertThat(exposure.read).containsExactly(Samples.ORDERS_API);
    assertThat(new JsonCodec().toJson(resolved)).contains("\"exposure\":{\"publicUrl\":{\"answer\":\"YES\"");
    assertThat(String.join("\n", logger.lines())).contains("\"exposure\":{\"publicUrl\":\"YES\"")
        .contains("\"adminRole\":\"UNKNOWN\"");
  }

  @Test
  void resolve_whenDuplicate_expectationNothingRead() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ResolveTarget sut = sut();
    sut.resolve(Samples.event("resolve-target/wrapped-create-function.json"));

    ResolvedScan second = sut.resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(second.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(second.exposure()).isNull();
    assertThat(exposure.read).hasSize(1);
  }

  @Test
  void resolve_whenFunctionGone_expectationNothingRead() {
    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.NOT_FOUND);
    assertThat(resolved.exposure()).isNull();
    assertThat(exposure.read).isEmpty();
  }
}
