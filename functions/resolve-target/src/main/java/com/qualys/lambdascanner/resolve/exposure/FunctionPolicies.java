package com.qualys.lambdascanner.resolve.exposure;

import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.resolve.TargetAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.GetPolicyRequest;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The invoke-side facts: the Function URL(s) and the resource policy(ies), of the unqualified function and of the
 * qualifier scanned. A Function URL exists on the unqualified function or an alias (never a version); a resource
 * policy on each of the three. Lambda's "not found" is a known no.
 */
final class FunctionPolicies {

  /** The invoke facts of one function. */
  record Facts(ExposureFact publicUrl, ExposureFact publicInvoke, ExposureFact crossAccountInvoke) {}

  private final LambdaClient lambda;
  private final TargetAccess.Reader reader;
  private final Function<SdkException, String> failure;

  FunctionPolicies(LambdaClient lambda, TargetAccess.Reader reader, Function<SdkException, String> failure) {
    this.lambda = lambda;
    this.reader = reader;
    this.failure = failure;
  }

  Facts read(String unqualifiedArn, String account, String qualifier) {
    boolean qualified = qualifier != null && !qualifier.isEmpty() && !"$LATEST".equals(qualifier);
    boolean alias = qualified && !qualifier.chars().allMatch(Character::isDigit);
    List<String> urlYes = new ArrayList<>();
    List<String> urlUnknown = new ArrayList<>();
    url(unqualifiedArn, null, urlYes, urlUnknown);
    if (alias) {
      url(unqualifiedArn, qualifier, urlYes, urlUnknown);
    }
    List<String> publicYes = new ArrayList<>();
    List<String> crossYes = new ArrayList<>();
    List<String> policyUnknown = new ArrayList<>();
    policy(unqualifiedArn, null, account, publicYes, crossYes, policyUnknown);
    if (qualified) {
      policy(unqualifiedArn, qualifier, account, publicYes, crossYes, policyUnknown);
    }
    return new Facts(
        AwsExposureReader.combine(urlYes, urlUnknown, "a Function URL with AuthType NONE",
            "no Function URL without authentication"),
        AwsExposureReader.combine(publicYes, policyUnknown, "the resource policy lets anyone invoke the function",
            "no resource policy statement lets anyone invoke the function"),
        AwsExposureReader.combine(crossYes, policyUnknown, "the resource policy lets another account invoke it",
            "no resource policy statement lets another account invoke the function"));
  }

  private void url(String arn, String qualifier, List<String> yes, List<String> unknown) {
    GetFunctionUrlConfigRequest.Builder request = GetFunctionUrlConfigRequest.builder().functionName(arn);
    if (qualifier != null) {
      request.qualifier(qualifier);
    }
    credentials(request);
    String which = qualifier == null ? "unqualified" : "alias " + qualifier;
    try {
      GetFunctionUrlConfigResponse url = lambda.getFunctionUrlConfig(request.build());
      if (url.authType() != FunctionUrlAuthType.AWS_IAM) {
        yes.add("Function URL (" + which + ") " + url.functionUrl() + " AuthType " + url.authTypeAsString());
      }
    } catch (ResourceNotFoundException none) {
      // No URL on this qualifier.
    } catch (SdkException e) {
      unknown.add("lambda:GetFunctionUrlConfig (" + which + ") " + failure.apply(e));
    }
  }

  private void policy(String arn, String qualifier, String account, List<String> publicYes, List<String> crossYes,
      List<String> unknown) {
    GetPolicyRequest.Builder request = GetPolicyRequest.builder().functionName(arn);
    if (qualifier != null) {
      request.qualifier(qualifier);
    }
    credentials(request);
    String which = qualifier == null ? "" : " (qualifier " + qualifier + ")";
    String text;
    try {
      text = lambda.getPolicy(request.build()).policy();
    } catch (ResourceNotFoundException none) {
      return;
    } catch (SdkException e) {
      unknown.add("lambda:GetPolicy" + which + " " + failure.apply(e));
      return;
    }
    try {
      ResourcePolicyAnalysis.Result result = ResourcePolicyAnalysis.analyze(PolicyDocument.parse(text), account);
      result.publicGrants().forEach(g -> publicYes.add("resource policy" + which + " " + g));
      result.crossAccountGrants().forEach(g -> crossYes.add("resource policy" + which + " " + g));
    } catch (PolicyDocument.Unreadable e) {
      unknown.add("resource policy" + which + " unreadable: " + e.getMessage());
    }
  }

  private void credentials(software.amazon.awssdk.awscore.AwsRequest.Builder request) {
    if (!reader.own()) {
      request.overrideConfiguration(o -> o.credentialsProvider(reader.credentials()));
    }
  }
}
