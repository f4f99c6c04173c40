package com.qualys.lambdascanner.common.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged, stored or passed on: the values it is given (the Qualys token, role
 * credentials, the ECR password) in every form {@link SecretVariants} lists, also when a line break (real, or
 * JSON-escaped {@code \n}) splits them, and anything shaped like an AWS key, an authorization header or a presigned
 * URL's signature.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";

  /** Values shorter than this are not masked one by one: masking "a" would shred the text, not protect it. */
  private static final int MIN_SECRET_LENGTH = 8;

  /** What may stand between two characters of a secret that a tool wrapped: a line break and its indentation. */
  private static final String BREAK = "(?:\\r?\\n[ \\t>]*|(?:\\\\r)?\\\\n)?";

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

  /** One pattern for all given values and their forms, longest first; null when no value was given. */
  private final Pattern secrets;

  private Redactor(Pattern secrets) {
    this.secrets = secrets;
  }

  /** A redactor for the shapes above only. */
  public static Redactor patternsOnly() {
    return new Redactor(null);
  }

  /** A redactor that also masks these values, in each of their forms (longest first, so no prefix survives). */
  public static Redactor of(Collection<String> secretValues) {
    List<String> forms = new ArrayList<>();
    for (String value : secretValues) {
      if (value != null && value.length() >= MIN_SECRET_LENGTH) {
        forms.addAll(SecretVariants.of(value));
      }
    }
    if (forms.isEmpty()) {
      return patternsOnly();
    }
    forms.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder alternation = new StringBuilder();
    for (String form : new LinkedHashSet<>(forms)) {
      if (!alternation.isEmpty()) {
        alternation.append('|');
      }
      for (int i = 0; i < form.length(); i++) {
        if (i > 0) {
          alternation.append(BREAK);
        }
        alternation.append(Pattern.quote(String.valueOf(form.charAt(i))));
      }
    }
    return new Redactor(Pattern.compile(alternation.toString()));
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = secrets == null ? text : secrets.matcher(text).replaceAll(MASK);
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
    return result;
  }
}
