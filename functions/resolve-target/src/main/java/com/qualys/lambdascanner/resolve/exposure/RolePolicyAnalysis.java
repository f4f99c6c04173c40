package com.qualys.lambdascanner.resolve.exposure;

import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.field;
import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.matches;
import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an identity policy makes its role an administrator: an Allow statement that grants every action
 * ({@code "*"}, {@code "*:*"}, or a {@code NotAction} that leaves other services' actions in), every IAM action
 * ({@code "iam:*"}, {@code "i*"}...), or {@code sts:AssumeRole} on any role, each on any resource ({@code "*"}, a
 * pattern matching any role, or {@code NotResource}). Patterns are tried against probe names no real grant lists, so
 * {@code "iam:Get*"} is not {@code iam:*} but {@code "IAM:*"} and {@code "i?m:*"} are. Conditions are not credited
 * (an admin grant behind a condition is still one to look at); a permissions boundary is not read.
 */
public final class RolePolicyAnalysis {

  /** An action no grant names: a pattern matching it matches every action of every service. */
  private static final String ANY_ACTION = "zzzprobe:ZzzProbe";
  /** An IAM action no grant names: a pattern matching it matches every IAM action. */
  private static final String ANY_IAM_ACTION = "iam:ZzzProbe";
  private static final String ASSUME_ROLE = "sts:AssumeRole";
  /** A resource no grant names: a pattern matching it matches any resource. */
  private static final String ANY_RESOURCE = "arn:aws:zzzprobe:zz-probe-1:000000000000:zzzprobe/zzz";
  /** A role no grant names. */
  private static final String ANY_ROLE = "arn:aws:iam::000000000000:role/zzzprobe";

  private RolePolicyAnalysis() {}

  /**
   * @param policy an inline or managed policy of the role
   * @param name what to call it in the evidence ({@code inline policy x}, a managed policy's ARN)
   * @return one line per admin grant
   * @throws PolicyDocument.Unreadable when a statement is not shaped as IAM's grammar says
   */
  public static List<String> adminGrants(PolicyDocument policy, String name) throws PolicyDocument.Unreadable {
    List<String> grants = new ArrayList<>();
    List<JsonNode> statements = policy.statements();
    for (int i = 0; i < statements.size(); i++) {
      JsonNode statement = statements.get(i);
      if (!PolicyDocument.allows(statement)) {
        continue;
      }
      String where = name + " " + PolicyDocument.sid(statement, i);
      if (grants(statement, ANY_ACTION) && anyResource(statement, ANY_RESOURCE)) {
        grants.add(where + ": every action on every resource");
      } else if (grants(statement, ANY_IAM_ACTION) && anyResource(statement, ANY_ROLE)) {
        grants.add(where + ": iam:* on any resource");
      } else if (grants(statement, ASSUME_ROLE) && anyResource(statement, ANY_ROLE)) {
        grants.add(where + ": sts:AssumeRole on any role");
      }
    }
    return grants;
  }

  private static boolean grants(JsonNode statement, String action) throws PolicyDocument.Unreadable {
    JsonNode notAction = field(statement, "NotAction");
    if (notAction != null) {
      return strings(notAction, "NotAction").stream().noneMatch(p -> matches(p, action, true));
    }
    return strings(field(statement, "Action"), "Action").stream().anyMatch(p -> matches(p, action, true));
  }

  private static boolean anyResource(JsonNode statement, String probe) throws PolicyDocument.Unreadable {
    JsonNode notResource = field(statement, "NotResource");
    if (notResource != null) {
      return strings(notResource, "NotResource").stream().noneMatch(p -> matches(p, probe, false));
    }
    return strings(field(statement, "Resource"), "Resource").stream().anyMatch(p -> matches(p, probe, false));
  }
}
