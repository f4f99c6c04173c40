package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Decision.Action;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code hostile/} goes through the handler as raw bytes. The file name says what must happen:
 * {@code invalid--*} an {@link InvalidInputException}; {@code <skip reason>--*} a skip with that reason and a
 * detail. Nothing else is acceptable (no NullPointerException, no other error), and Lambda is only ever asked
 * about a valid function name in the event's own account and region.
 */
class HostileInputTest {

  private static final Path DIR = Path.of("src/test/resources/hostile");

  static Stream<Path> files() throws IOException {
    return Files.list(DIR).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @Test
  void corpus_hasAtLeastFortyFiles() throws IOException {
    assertThat(files().count()).isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void handleRequest_whenHostileInput_rejectsOrSkipsWithReason(Path file) throws IOException {
    String expected = file.getFileName().toString().split("--")[0].toUpperCase(Locale.ROOT);
    FakeDescriber lambda = new FakeDescriber();
    InMemoryClaimStore claims = new InMemoryClaimStore();
    CapturingLogger logger = new CapturingLogger();
    JsonCodec json = new JsonCodec();
    ResolveTarget service =
        new ResolveTarget(
            new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
            lambda,
            new FakeExposureReader(),
            claims,
            new StructuredLog(json, logger),
            Clock.systemUTC());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Throwable thrown =
        catchThrowable(
            () ->
                new ResolveTargetHandler(service, json)
                    .handleRequest(new ByteArrayInputStream(Files.readAllBytes(file)), out, null));

    if (expected.equals("INVALID")) {
      assertThat(thrown).isInstanceOf(InvalidInputException.class);
      assertThat(thrown.getMessage()).hasSizeLessThan(400).doesNotContain("\n");
    } else {
      assertThat(thrown).as("no error expected").isNull();
      ResolvedScan resolved = json.mapper().readValue(out.toByteArray(), ResolvedScan.class);
      assertThat(resolved.decision().action()).isEqualTo(Action.SKIP);
      assertThat(resolved.decision().reason()).isEqualTo(SkipReason.valueOf(expected));
      assertThat(resolved.decision().detail()).isNotBlank().doesNotContain("\n").hasSizeLessThan(400);
      assertThat(logger.all().lines()).hasSize(1);
    }
    assertThat(claims.attempts).isZero();
    assertThat(lambda.calls())
        .allSatisfy(
            ref -> {
              assertThat(LambdaArn.isValidName(ref.functionName())).isTrue();
              assertThat(ref.accountId()).isIn(null, Samples.ACCOUNT);
              assertThat(ref.region()).isEqualTo(Samples.REGION);
            });
  }

  @Test
  void handleRequest_whenInputLargerThanStateLimit_rejects() {
    String huge = "{\"functionName\": \"" + "a".repeat(300 * 1024) + "\"}";
    ResolveTarget service =
        new ResolveTarget(
            new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
            new FakeDescriber(),
            new FakeExposureReader(),
            new InMemoryClaimStore(),
            new StructuredLog(new JsonCodec(), new CapturingLogger()),
            Clock.systemUTC());

    Throwable thrown =
        catchThrowable(
            () ->
                new ResolveTargetHandler(service)
                    .handleRequest(
                        new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null));

    assertThat(thrown).isInstanceOf(InvalidInputException.class);
  }
}
