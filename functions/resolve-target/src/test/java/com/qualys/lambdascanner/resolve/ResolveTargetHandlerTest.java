package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample events, byte for byte, through the handler: what {@code sam local invoke -e} would send. */
class ResolveTargetHandlerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "eventbridge/create-function.json, SCAN, ",
    "eventbridge/create-function-image.json, SCAN, ",
    "eventbridge/update-function-configuration.json, SCAN, ",
    "eventbridge/failed-call.json, SKIP, FAILED_CALL",
    "direct/scan-function.json, SCAN, ",
    "resolve-target/wrapped-create-function.json, SCAN, ",
    "resolve-target/wrapped-direct.json, SCAN, "
  })
  void handleRequest_whenSampleEvent_writesResolvedScan(String sample, String action, String reason)
      throws IOException {
    FakeDescriber lambda =
        new FakeDescriber().with(Samples.ORDERS_API, Functions.ordersApi()).with(Samples.ORDERS_IMAGE, Functions.ordersImage());
    JsonCodec json = new JsonCodec();
    ResolveTarget service =
        new ResolveTarget(
            new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
            lambda,
            new FakeExposureReader(),
            new InMemoryClaimStore(),
            new StructuredLog(json, new CapturingLogger()),
            Clock.systemUTC());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (InputStream in = Files.newInputStream(Samples.path(sample))) {
      new ResolveTargetHandler(service).handleRequest(in, out, null);
    }

    JsonNode output = json.mapper().readTree(out.toByteArray());
    assertThat(output.path("decision").path("action").asText()).isEqualTo(action);
    assertThat(output.path("decision").path("reason").asText(null)).isEqualTo(reason);
    assertThat(output.path("scanId").asText()).isNotBlank();
    assertThat(output.path("target").path("functionName").asText()).startsWith("orders-");
    assertThat(output.path("trigger").isObject()).isTrue();
  }
}
