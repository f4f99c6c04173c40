package com.qualys.lambdascanner.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.AuthKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the Qualys secret may hold: {@code {"accessToken"}}, {@code {"clientId", "clientSecret"}}, or the token
 * as a plain string. Error messages name the secret by ARN and never quote its content: a parser's message
 * would (Jackson's include a snippet of the input), so none is passed on.
 */
final class SecretFormat {

  /**
   * The secret's shape, and when its token expires if it says so.
   *
   * @param authKind which keys the secret holds
   * @param expiresAt the JWT's {@code exp}, or null when the token is not a JWT or has none
   */
  record Validated(AuthKind authKind, Instant expiresAt) {}

  /** Opaque tokens and JWTs (base64url parts and dots): what can travel in an environment variable as is. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{8,}");

  private final ObjectMapper mapper;

  SecretFormat(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  Validated validate(String secretArn, String secretString, Instant now) {
    if (secretString == null || secretString.isBlank()) {
      throw new TerminalException("secret " + secretArn + " has no string value (empty or binary)");
    }
    String value = secretString.strip();
    if (!value.startsWith("{")) {
      return accessToken(secretArn, value, now);
    }
    JsonNode node;
    try {
      node = mapper.readTree(value);
    } catch (Exception e) {
      // Never chain e: its message quotes the secret.
      throw new TerminalException("secret " + secretArn + " is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new TerminalException("secret " + secretArn + " is not a JSON object");
    }
    String accessToken = text(node, "accessToken");
    if (accessToken != null) {
      return accessToken(secretArn, accessToken, now);
    }
    if (text(node, "clientId") != null && text(node, "clientSecret") != null) {
      return new Validated(AuthKind.CLIENT_CREDENTIALS, null);
    }
    throw new TerminalException(
        "secret "
            + secretArn
            + " holds neither a non-empty \"accessToken\" nor both \"clientId\" and \"clientSecret\"");
  }

  private Validated accessToken(String secretArn, String token, Instant now) {
    if (!TOKEN.matcher(token).matches()) {
      // Also catches JSON that is not an object ("[...]", a quoted string): not a token as qscanner wants it.
      throw new TerminalException(
          "secret " + secretArn + " holds an access token with characters a token cannot have");
    }
    Instant expiresAt = jwtExpiry(token).orElse(null);
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new TerminalException(
          "token expired: the access token in secret " + secretArn + " expired at " + expiresAt);
    }
    return new Validated(AuthKind.ACCESS_TOKEN, expiresAt);
  }

  /** The {@code exp} claim of a JWT; empty when the token is not a readable JWT (an opaque token is fine). */
  Optional<Instant> jwtExpiry(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
      JsonNode claims = mapper.readTree(new String(payload, StandardCharsets.UTF_8));
      JsonNode exp = claims == null ? null : claims.get("exp");
      if (exp == null || !exp.isNumber()) {
        return Optional.empty();
      }
      return Optional.of(Instant.ofEpochSecond(exp.asLong()));
    } catch (Exception notAJwt) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }
}
