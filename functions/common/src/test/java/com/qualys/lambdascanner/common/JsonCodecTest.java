package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Decision;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.PipelineState;
import com.qualys.lambdascanner.common.model.TaskError;
import com.qualys.lambdascanner.common.secret.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private final JsonCodec sut = new JsonCodec();

  private static ByteArrayInputStream json(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_whenStateIsTheRawEventPlusACatchError_readsTheErrorAndIgnoresTheRest() {
    PipelineState state =
        sut.read(
            json("{\"version\":\"0\",\"detail\":{},\"error\":{\"Error\":\"States.Timeout\",\"Cause\":\"x\"}}"),
            PipelineState.class);

    assertThat(state.error()).isEqualTo(new TaskError("States.Timeout", "x"));
    assertThat(state.target()).isNull();
  }

  @Test
  void write_whenDecisionAndPackageType_useTheNamesTheStateMachineAndLambdaUse() {
    assertThat(sut.toJson(Decision.scan())).contains("\"action\":\"SCAN\"");
    assertThat(sut.toJson(PackageType.IMAGE)).isEqualTo("\"Image\"");
  }

  @Test
  void read_whenInputIsNotJson_throwsInvalidInput() {
    assertThatThrownBy(() -> sut.read(json("not json"), PipelineState.class))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void read_whenInputIsJsonNull_throwsInvalidInput() {
    assertThatThrownBy(() -> sut.read(json("null"), PipelineState.class))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void read_whenInputIsAnArray_throwsInvalidInput() {
    assertThatThrownBy(() -> sut.read(json("[1,2]"), PipelineState.class))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void read_whenInputNestsDeeperThanTheLimit_throwsInvalidInput() {
    String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);

    assertThatThrownBy(() -> sut.read(json(deep), PipelineState.class))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void read_whenAStringIsLargerThanStateInputCanBe_throwsInvalidInput() {
    String huge = "{\"scanId\":\"" + "x".repeat(300 * 1024) + "\"}";

    assertThatThrownBy(() -> sut.read(json(huge), PipelineState.class))
        .isInstanceOf(InvalidInputException.class);
  }

  record Stamp(Instant at) {}

  @Test
  void write_whenAnInstant_writesTheIsoString() {
    assertThat(sut.toJson(new Stamp(Instant.parse("2026-12-01T18:22:35.123Z"))))
        .isEqualTo("{\"at\":\"2026-12-01T18:22:35.123Z\"}");
  }

  @Test
  void read_whenAnIsoInstant_readsIt() {
    assertThat(sut.read(json("{\"at\":\"2026-12-01T18:22:35Z\"}"), Stamp.class))
        .isEqualTo(new Stamp(Instant.parse("2026-12-01T18:22:35Z")));
  }

  @Test
  void read_whenAnInstantIsNotIso_throwsInvalidInput() {
    assertThatThrownBy(() -> sut.read(json("{\"at\":\"yesterday\"}"), Stamp.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Stamp");
  }

  @Test
  void read_whenAnInstantIsANumber_throwsInvalidInput() {
    assertThatThrownBy(() -> sut.read(json("{\"at\":1764613355}"), Stamp.class))
        .isInstanceOf(InvalidInputException.class);
  }

  private static final String SECRET = "qualys/Tok3n+01234567/89abcdef";

  @Test
  void toJson_whenTheGuardHoldsASecret_redactsEveryStringAndName() {
    sut.guard().remember(java.util.List.of(new Secret("qualys-token", SECRET)));
    String hex = java.util.HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));

    String out = sut.toJson(new java.util.TreeMap<>(java.util.Map.of("a", java.util.List.of("x " + hex), SECRET, 1)));

    assertThat(out).isEqualTo("{\"a\":[\"x [REDACTED:qualys-token:hex]\"],\"[REDACTED:qualys-token:plain]\":1}")
        .doesNotContain(hex);
  }

  @Test
  void handle_whenTheServiceFailsWithASecretInItsMessage_rethrowsTheSameClassRedacted() {
    RuntimeException failure = new com.qualys.lambdascanner.common.error.RetryableException(
        "qscanner said " + java.net.URLEncoder.encode(SECRET, StandardCharsets.UTF_8),
        new IllegalStateException(SECRET));

    assertThatThrownBy(() -> sut.handle(json("{}"), new java.io.ByteArrayOutputStream(), PipelineState.class, in -> {
      sut.guard().remember(java.util.List.of(new Secret("qualys-token", SECRET)));
      throw failure;
    }))
        .isExactlyInstanceOf(com.qualys.lambdascanner.common.error.RetryableException.class)
        .hasMessage("qscanner said [REDACTED:qualys-token:percent]")
        .hasNoCause();
  }

  @Test
  void handle_whenTheInvocationEnds_forgetsItsSecrets() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    sut.handle(json("{}"), out, PipelineState.class, in -> {
      sut.guard().remember(java.util.List.of(new Secret("qualys-token", SECRET)));
      return java.util.Map.of("answer", "is " + SECRET);
    });

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\"is [REDACTED:qualys-token:plain]\"}");
    assertThat(sut.toJson(java.util.Map.of("next", SECRET))).contains(SECRET);
  }

  @Test
  void handle_whenTheErrorHoldsNoSecret_rethrowsItAsItIs() {
    RuntimeException failure = new IllegalStateException("plain", new RuntimeException("cause"));

    assertThatThrownBy(() -> sut.handle(json("{}"), new java.io.ByteArrayOutputStream(), PipelineState.class, in -> {
      throw failure;
    })).isSameAs(failure);
  }
}
