package com.qualys.lambdascanner.common.secret;

/**
 * A secret value and what it is, as a replacement names it ({@code [REDACTED:qualys-token:base64]}).
 *
 * @param kind what the value is: {@code qualys-token}, {@code aws-secret-key}, {@code ecr-token} ...
 * @param value the value itself
 */
public record Secret(String kind, String value) {

  @Override
  public String toString() {
    // A record's default toString would print the value.
    return "Secret[" + kind + "]";
  }
}
