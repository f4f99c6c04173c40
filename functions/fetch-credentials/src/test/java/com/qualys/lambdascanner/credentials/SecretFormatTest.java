package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.AuthKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretFormatTest {

  private static final String ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-lambda-scanner/qualys-AbCdEf";
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private final SecretFormat sut = new SecretFormat(new JsonCodec().mapper());

  static String jwt(long exp) {
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    return enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + enc.encodeToString(
            ("{\"sub\":\"scanner\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
  }

  @Test
  void validate_whenAccessTokenJson_expectAccessToken() {
    var result = sut.validate(ARN, "{\"accessToken\": \"opaque-token-value-123\"}", NOW);

    assertThat(result.authKind()).isEqualTo(AuthKind.ACCESS_TOKEN);
    assertThat(result.expiresAt()).isNull();
  }

  @Test
  void validate_whenClientCredentials_expectClientCredentials() {
    var result = sut.validate(ARN, "{\"clientId\": \"abc\", \"clientSecret\": \"s3cr3t-value\", \"pod\": \"EU1\"}", NOW);

    assertThat(result.authKind()).isEqualTo(AuthKind.CLIENT_CREDENTIALS);
  }

  @Test
  void validate_whenPlainStringToken_expectAccessToken() {
    assertThat(sut.validate(ARN, "  plain-token-value-456\n", NOW).authKind()).isEqualTo(AuthKind.ACCESS_TOKEN);
  }

  @Test
  void validate_whenJwtNotExpired_expectExpiryReported() {
    long exp = NOW.plusSeconds(3600).getEpochSecond();

    var result = sut.validate(ARN, "{\"accessToken\": \"" + jwt(exp) + "\"}", NOW);

    assertThat(result.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp));
  }

  @Test
  void validate_whenJwtExpired_expectTokenExpiredWithoutValue() {
    String token = jwt(NOW.minusSeconds(60).getEpochSecond());

    assertThatThrownBy(() -> sut.validate(ARN, token, NOW))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("token expired")
        .hasMessageContaining(ARN)
        .hasMessageNotContaining(token)
        .hasNoCause();
  }

  @Test
  void validate_whenBadJson_expectTerminalWithoutValue() {
    String value = "{\"accessToken\": \"leaky-token-abcdef\"";

    assertThatThrownBy(() -> sut.validate(ARN, value, NOW))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("leaky-token-abcdef")
        .hasNoCause();
  }

  @Test
  void validate_whenOnlyClientId_expectTerminal() {
    assertThatThrownBy(() -> sut.validate(ARN, "{\"clientId\": \"abc\", \"clientSecret\": \"\"}", NOW))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("neither");
  }

  @Test
  void validate_whenEmpty_expectTerminal() {
    assertThatThrownBy(() -> sut.validate(ARN, "  ", NOW)).isInstanceOf(TerminalException.class);
  }

  @Test
  void validate_whenJsonArray_expectTerminal() {
    assertThatThrownBy(() -> sut.validate(ARN, "[\"token\"]", NOW))
        .isInstanceOf(TerminalException.class);
  }

  @Test
  void jwtExpiry_whenOpaqueTokenWithDots_expectEmpty() {
    assertThat(sut.jwtExpiry("not.a.jwt")).isEmpty();
  }
}
