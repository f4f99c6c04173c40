package com.qualys.lambdascanner.common.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged, stored or passed on: the exact values it is given (the
 * Qualys token, role credentials) and anything shaped like an AWS key or a presigned URL's signature.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";

  /** Values shorter than this are not masked one by one: masking "a" would shred the text, not protect it. */
  private static final int MIN_SECRET_LENGTH = 8;

  private static final List<Pattern> PATTERNS =
      List.of(
          // Access key ids (long-term AKIA, temporary ASIA).
          Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),
          // Presigned URL credentials and signatures (SigV4 query strings), and S3 v2 signatures.
          Pattern.compile(
              "(?i)((?:X-Amz-(?:Signature|Credential|Security-Token)|Signature)=)[^&\\s\"']+"),
          // Key = value pairs that name a secret.
          Pattern.compile(
              "(?i)((?:aws_secret_access_key|aws_session_token|secret_?access_?key|session_?token"
                  + "|access_?token|client_?secret|password|authorization)[\"']?\\s*[:=]\\s*[\"']?)"
                  + "(?:bearer\\s+)?[^\\s\"',}&]+"),
          // Bearer tokens and JWTs wherever they stand.
          Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}"),
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"));

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor for the shapes above only. */
  public static Redactor patternsOnly() {
    return new Redactor(List.of());
  }

  /** A redactor that also masks these exact values (longest first, so no prefix survives). */
  public static Redactor of(Collection<String> secretValues) {
    List<String> values = new ArrayList<>();
    for (String value : secretValues) {
      if (value != null && value.length() >= MIN_SECRET_LENGTH) {
        values.add(value);
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(values));
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    for (Pattern pattern : PATTERNS) {
      result =
          pattern
              .matcher(result)
              .replaceAll(
                  match ->
                      match.groupCount() >= 1 && match.group(1) != null
                          ? java.util.regex.Matcher.quoteReplacement(match.group(1)) + MASK
                          : MASK);
    }
    return result;
  }
}
