package com.qualys.lambdascanner.common.secret;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged, stored or passed on: the values it is given (the Qualys token, role
 * credentials, the ECR password) in any form the {@link SecretFinder} decodes, each replaced by what it was
 * ({@code [REDACTED:qualys-token:base64]}), and anything shaped like an AWS key, an authorization header or a
 * presigned URL's signature ({@code [REDACTED]}), whose value nobody gave it.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";

  /** What every replacement starts with, the labelled ones included. */
  public static final String MASK_PREFIX = "[REDACTED";
  private static final List<Pattern> PATTERNS =
      List.of(
          // Access key ids (long-term AKIA, temporary ASIA).
          Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),
          // Presigned URL credentials and signatures (SigV4 query strings), S3 v2 signatures, and the session
          // token as a request header (X-Amz-Security-Token: ...).
          Pattern.compile(
              "(?i)((?:X-Amz-(?:Signature|Credential|Security-Token)|Signature)(?:=|:[ \\t]*))[^&\\s\"']+"),
          // Authorization headers of any scheme (Basic, Bearer, AWS4-HMAC-SHA256 ...): the whole value goes.
          Pattern.compile("(?i)(authorization[\"']?\\s*[:=]\\s*[\"']?)[^\\r\\n\"']+"),
          // Key = value pairs that name a secret.
          Pattern.compile(
              "(?i)((?:aws_secret_access_key|aws_session_token|secret_?access_?key|session_?token"
                  + "|access_?token|client_?secret|password|identity_?token|registry_?token)[\"']?\\s*[:=]\\s*[\"']?)"
                  + "(?:bearer\\s+)?[^\\s\"',}&]+"),
          // A docker config.json's "auth": base64 of user:password.
          Pattern.compile("(?i)(\"auth\"\\s*:\\s*\")[^\"]+"),
          // Basic and Bearer credentials and JWTs wherever they stand.
          Pattern.compile("(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}"),
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"));

  /** Finds the given values (and presigned URLs) in any form. */
  private final SecretFinder secrets;

  private Redactor(SecretFinder secrets) {
    this.secrets = secrets;
  }

  /** A redactor for the shapes above only. */
  public static Redactor patternsOnly() {
    return new Redactor(SecretFinder.of(List.of()));
  }

  /** A redactor that also finds these values, in any form (values shorter than 8 characters are not looked for). */
  public static Redactor of(Collection<Secret> secrets) {
    return new Redactor(SecretFinder.of(secrets));
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // The shapes first: they take a whole header or pair, so the labelled pass below sees what they leave.
    String result = text;
    for (Pattern pattern : PATTERNS) {
      result =
          pattern
              .matcher(result)
              .replaceAll(
                  match ->
                      match.groupCount() >= 1 && match.group(1) != null
                          ? Matcher.quoteReplacement(match.group(1)) + MASK
                          : MASK);
    }
    return secrets.scrub(result);
  }
}
