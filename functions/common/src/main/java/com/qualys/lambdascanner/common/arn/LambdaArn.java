package com.qualys.lambdascanner.common.arn;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function ARN, validated to Lambda's own rules before anything uses it: partition {@code aws},
 * {@code aws-cn} or {@code aws-us-gov}; a 12-digit account; a region; a name of 1 to 64 letters, digits,
 * hyphens and underscores; an optional qualifier (a version number of up to 10 digits, {@code $LATEST}, or an alias: not all digits).
 *
 * @param partition the partition
 * @param region the region
 * @param accountId the account
 * @param functionName the bare name
 * @param qualifier the version or alias, or null
 */
public record LambdaArn(
    String partition, String region, String accountId, String functionName, String qualifier) {

  private static final Pattern ARN =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d):(\\d{12}):function:"
              + "([A-Za-z0-9_-]{1,64})(?::(\\$LATEST|[0-9]{1,10}|(?=[A-Za-z0-9_-]*[A-Za-z_-])[A-Za-z0-9_-]{1,128}))?");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final int MAX_LENGTH = 256;

  /** Parses a full function ARN, qualified or not. */
  public static LambdaArn parse(String text) {
    if (text == null) {
      throw new InvalidInputException("function ARN is missing");
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidInputException("function ARN is longer than " + MAX_LENGTH + " characters");
    }
    Matcher m = ARN.matcher(text);
    if (!m.matches()) {
      throw new InvalidInputException("not a valid Lambda function ARN");
    }
    return new LambdaArn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
  }

  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The ARN without qualifier. */
  public String unqualified() {
    return "arn:" + partition + ":lambda:" + region + ":" + accountId + ":function:" + functionName;
  }

  @Override
  public String toString() {
    return qualifier == null ? unqualified() : unqualified() + ":" + qualifier;
  }
}
