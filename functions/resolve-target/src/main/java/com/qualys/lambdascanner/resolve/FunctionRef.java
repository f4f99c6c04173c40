package com.qualys.lambdascanner.resolve;

/**
 * Which function to describe, as the input names it, validated: nothing else is ever passed to Lambda.
 *
 * @param partition {@code aws}, {@code aws-cn} or {@code aws-us-gov}
 * @param accountId the owning account, or null when a direct request names the function only
 * @param region the function's region
 * @param functionName the bare name
 * @param qualifier a version number or alias to describe, or null for {@code $LATEST}
 */
public record FunctionRef(
    String partition, String accountId, String region, String functionName, String qualifier) {

  /** The unqualified ARN, or null when the account is not known yet. */
  public String unqualifiedArn() {
    return accountId == null
        ? null
        : "arn:" + partition + ":lambda:" + region + ":" + accountId + ":function:" + functionName;
  }
}
