package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's naming rules for what an input may name: accounts, regions, function names in the three forms
 * Lambda accepts (name, partial ARN {@code 123456789012:function:name}, full ARN). Extends common's
 * {@link LambdaArn} with the partial form and the region-to-partition rule.
 */
final class Names {

  static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d");
  private static final String QUALIFIER = "(\\$LATEST|[0-9]{1,10}|[A-Za-z0-9_-]{1,128})";
  private static final Pattern PARTIAL =
      Pattern.compile("(\\d{12}):function:([A-Za-z0-9_-]{1,64})(?::" + QUALIFIER + ")?");
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-]{1,64})(?::" + QUALIFIER + ")?");
  private static final Pattern VERSION = Pattern.compile("[0-9]{1,10}");
  static final int MAX_NAME_OR_ARN = 256;

  private Names() {}

  /** The partition a region belongs to. */
  static String partitionOf(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.contains("-iso")) {
      // aws-iso* partitions are out of scope: LambdaArn does not accept them either.
      throw new InvalidInputException("region is in a partition this scanner does not support");
    }
    return "aws";
  }

  static String account(String value, String field) {
    if (value != null && !ACCOUNT.matcher(value).matches()) {
      throw new InvalidInputException(field + " is not a 12-digit AWS account id");
    }
    return value;
  }

  static String region(String value, String field) {
    if (value != null && !REGION.matcher(value).matches()) {
      throw new InvalidInputException(field + " is not an AWS region");
    }
    return value;
  }

  /**
   * Parses a function name, partial ARN or full ARN. The account, region and partition it names must agree
   * with the context (where the context knows them): a function elsewhere is not this event's function.
   *
   * @param text the name or ARN
   * @param field the input field, for messages
   * @param account the context's account, or null when unknown
   * @param region the context's region (required)
   */
  static FunctionRef function(String text, String field, String account, String region) {
    if (text == null) {
      throw new InvalidInputException(field + " is missing");
    }
    if (text.length() > MAX_NAME_OR_ARN) {
      throw new InvalidInputException(field + " is longer than " + MAX_NAME_OR_ARN + " characters");
    }
    if (text.startsWith("arn:")) {
      LambdaArn arn;
      try {
        arn = LambdaArn.parse(text);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(field + " is not a valid Lambda function ARN");
      }
      agree(field, "account", arn.accountId(), account);
      agree(field, "region", arn.region(), region);
      agree(field, "partition", arn.partition(), partitionOf(region));
      return new FunctionRef(
          arn.partition(), arn.accountId(), arn.region(), arn.functionName(), qualifier(arn.qualifier()));
    }
    Matcher partial = PARTIAL.matcher(text);
    if (partial.matches()) {
      agree(field, "account", partial.group(1), account);
      return new FunctionRef(
          partitionOf(region), partial.group(1), region, partial.group(2), qualifier(partial.group(3)));
    }
    Matcher name = NAME.matcher(text);
    if (name.matches()) {
      return new FunctionRef(partitionOf(region), account, region, name.group(1), qualifier(name.group(2)));
    }
    throw new InvalidInputException(field + " is not a Lambda function name or ARN");
  }

  static boolean isVersion(String qualifier) {
    return qualifier != null && VERSION.matcher(qualifier).matches();
  }

  /** {@code $LATEST} is the default: describing it by name keeps one spelling of "no qualifier". */
  private static String qualifier(String qualifier) {
    return qualifier == null || "$LATEST".equals(qualifier) ? null : qualifier;
  }

  private static void agree(String field, String what, String named, String expected) {
    if (expected != null && !expected.equals(named)) {
      // A function in another account or region is not what this event is about: refuse, never describe it.
      throw new InvalidInputException(
          field + " names a function in another " + what + " (" + named + ") than the event's (" + expected + ")");
    }
  }
}
