package com.qualys.lambdascanner.resolve.exposure;

import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.resolve.TargetAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.GetRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;

/**
 * The execution role's admin fact: its attached managed policies ({@code ListAttachedRolePolicies}, then
 * {@code GetPolicy} and {@code GetPolicyVersion} of the default version) and inline policies
 * ({@code ListRolePolicies}, {@code GetRolePolicy}). The role's ARN comes from GetFunction, so {@code GetRole} is not
 * needed (nor granted). Bounded: IAM allows at most 20 managed policies per role and 10,240 characters of inline
 * policy, so more than {@link #MAX_ATTACHED} or {@link #MAX_INLINE} is refused as unknown rather than walked.
 */
final class RolePolicies {

  static final int MAX_ATTACHED = 20;
  static final int MAX_INLINE = 20;
  private static final int MAX_PAGES = 5;
  private static final Pattern ROLE = Pattern.compile("^arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/(?:[\\x21-\\x7e]*/)?([\\w+=,.@-]{1,64})$");

  private final IamClient iam;
  private final TargetAccess.Reader reader;
  private final Function<SdkException, String> failure;

  RolePolicies(IamClient iam, TargetAccess.Reader reader, Function<SdkException, String> failure) {
    this.iam = iam;
    this.reader = reader;
    this.failure = failure;
  }

  ExposureFact adminFact(String roleArn, String partition, String account) {
    if (roleArn == null) {
      return ExposureFact.unknown("GetFunction reported no execution role");
    }
    Matcher m = ROLE.matcher(roleArn);
    if (!m.matches() || !m.group(1).equals(partition) || !m.group(2).equals(account)) {
      return ExposureFact.unknown("the execution role is not a role ARN of the function's account");
    }
    String role = m.group(3);
    List<String> yes = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    attached(role, partition, yes, unknown);
    inline(role, yes, unknown);
    return AwsExposureReader.combine(yes, unknown, "the execution role " + roleArn + " has administrator or wildcard permissions",
        "the execution role's policies grant no administrator or wildcard permission");
  }

  private void attached(String role, String partition, List<String> yes, List<String> unknown) {
    List<AttachedPolicy> policies = new ArrayList<>();
    String marker = null;
    try {
      for (int page = 0; page < MAX_PAGES; page++) {
        ListAttachedRolePoliciesRequest.Builder request =
            ListAttachedRolePoliciesRequest.builder().roleName(role).marker(marker);
        ListAttachedRolePoliciesResponse response = iam.listAttachedRolePolicies(credentials(request).build());
        policies.addAll(response.attachedPolicies());
        marker = Boolean.TRUE.equals(response.isTruncated()) ? response.marker() : null;
        if (marker == null || policies.size() > MAX_ATTACHED) {
          break;
        }
      }
    } catch (SdkException e) {
      unknown.add("iam:ListAttachedRolePolicies " + failure.apply(e));
      return;
    }
    if (marker != null || policies.size() > MAX_ATTACHED) {
      unknown.add("more than " + MAX_ATTACHED + " attached policies (IAM's own limit): not read");
      return;
    }
    String administrator = "arn:" + partition + ":iam::aws:policy/AdministratorAccess";
    for (AttachedPolicy policy : policies) {
      if (administrator.equals(policy.policyArn())) {
        yes.add("AWS managed " + administrator + " attached");
        continue;
      }
      try {
        String version = iam.getPolicy(credentials(GetPolicyRequest.builder().policyArn(policy.policyArn())).build())
            .policy().defaultVersionId();
        String document = iam.getPolicyVersion(credentials(GetPolicyVersionRequest.builder()
            .policyArn(policy.policyArn()).versionId(version)).build()).policyVersion().document();
        yes.addAll(RolePolicyAnalysis.adminGrants(PolicyDocument.parse(document), policy.policyArn()));
      } catch (SdkException e) {
        unknown.add("managed policy " + policy.policyArn() + ": " + failure.apply(e));
      } catch (PolicyDocument.Unreadable e) {
        unknown.add("managed policy " + policy.policyArn() + " unreadable: " + e.getMessage());
      }
    }
  }

  private void inline(String role, List<String> yes, List<String> unknown) {
    List<String> names = new ArrayList<>();
    String marker = null;
    try {
      for (int page = 0; page < MAX_PAGES; page++) {
        ListRolePoliciesRequest.Builder request = ListRolePoliciesRequest.builder().roleName(role).marker(marker);
        ListRolePoliciesResponse response = iam.listRolePolicies(credentials(request).build());
        names.addAll(response.policyNames());
        marker = Boolean.TRUE.equals(response.isTruncated()) ? response.marker() : null;
        if (marker == null || names.size() > MAX_INLINE) {
          break;
        }
      }
    } catch (SdkException e) {
      unknown.add("iam:ListRolePolicies " + failure.apply(e));
      return;
    }
    if (marker != null || names.size() > MAX_INLINE) {
      unknown.add("more than " + MAX_INLINE + " inline policies: not read");
      return;
    }
    for (String name : names) {
      try {
        String document = iam.getRolePolicy(credentials(GetRolePolicyRequest.builder().roleName(role)
            .policyName(name)).build()).policyDocument();
        yes.addAll(RolePolicyAnalysis.adminGrants(PolicyDocument.parse(document), "inline policy " + name));
      } catch (SdkException e) {
        unknown.add("inline policy " + name + ": " + failure.apply(e));
      } catch (PolicyDocument.Unreadable e) {
        unknown.add("inline policy " + name + " unreadable: " + e.getMessage());
      }
    }
  }

  private <B extends AwsRequest.Builder> B credentials(B request) {
    if (!reader.own()) {
      request.overrideConfiguration(o -> o.credentialsProvider(reader.credentials()));
    }
    return request;
  }
}
