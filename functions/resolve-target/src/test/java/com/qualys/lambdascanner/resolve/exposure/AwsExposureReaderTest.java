package com.qualys.lambdascanner.resolve.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact.Answer;
import com.qualys.lambdascanner.resolve.Config;
import com.qualys.lambdascanner.resolve.FunctionDescription;
import com.qualys.lambdascanner.resolve.FunctionRef;
import com.qualys.lambdascanner.resolve.LambdaClients;
import com.qualys.lambdascanner.resolve.TargetAccess;
import com.qualys.lambdascanner.spoke.FakeSts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.GetRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.GetPolicyRequest;
import software.amazon.awssdk.services.lambda.model.GetPolicyResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** Each call's failure makes only its own fact unknown, with the reason; the spoke's credentials on every call. */
class AwsExposureReaderTest {

  private static final String OWN = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String ARN = "arn:aws:lambda:us-east-1:" + OWN + ":function:orders-api";
  private static final String ROLE = "arn:aws:iam::" + OWN + ":role/service/orders-api-role";
  private static final String ADMIN = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private final List<AwsRequest> requests = new ArrayList<>();
  private final Map<String, Object> lambda = new HashMap<>();
  private final Map<String, Object> iam = new HashMap<>();
  private final FakeSts sts = new FakeSts(OWN);

  private Instant now = Instant.parse("2026-12-07T10:00:00Z");

  private AwsExposureReader reader(Config config) {
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return new AwsExposureReader(new LambdaClients(region -> new FakeLambda()), new IamClients(region -> new FakeIam()),
        new TargetAccess(config, sts), RuntimeDeprecations.published(), clock);
  }

  private Exposure read(Config config, FunctionRef ref, String functionArn, String role, String runtime) {
    return read(reader(config), ref, functionArn, role, runtime);
  }

  private static Exposure read(AwsExposureReader sut, FunctionRef ref, String functionArn, String role,
      String runtime) {
    FunctionDescription description = new FunctionDescription(functionArn, "7", "Zip", runtime, List.of(), "sha",
        null, null, List.of(), "Active", Map.of(), null, role);
    return sut.read(ref, description, "scan-1");
  }

  @Test
  void read_whenRoleReadAgainWithinTtl_expectationIamNotAskedAgainUnlessUnknown() {
    Config own = new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1");
    FunctionRef ref = new FunctionRef("aws", OWN, "us-east-1", "orders-api", null);
    AwsExposureReader sut = reader(own);
    iam.put("listInline", error(true, 429, "Throttling"));
    read(sut, ref, ARN, ROLE, "java21");
    iam.remove("listInline");

    assertThat(read(sut, ref, ARN, ROLE, "java21").adminRole().answer()).as("an unknown is not kept")
        .isEqualTo(Answer.NO);
    long iamCalls = requests.stream().filter(r -> r instanceof ListRolePoliciesRequest).count();
    read(sut, ref, ARN, ROLE, "java21");
    assertThat(requests.stream().filter(r -> r instanceof ListRolePoliciesRequest).count()).isEqualTo(iamCalls);

    now = now.plus(AwsExposureReader.ROLE_TTL);
    read(sut, ref, ARN, ROLE, "java21");
    assertThat(requests.stream().filter(r -> r instanceof ListRolePoliciesRequest).count()).isEqualTo(iamCalls + 1);
  }

  private Exposure readOwn() {
    return read(new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
        new FunctionRef("aws", OWN, "us-east-1", "orders-api", null), ARN, ROLE, "java21");
  }

  private static AwsServiceException error(boolean iamCall, int status, String code) {
    AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage("m").build();
    return iamCall ? IamException.builder().statusCode(status).awsErrorDetails(details).build()
        : LambdaException.builder().statusCode(status).awsErrorDetails(details).build();
  }

  @Test
  void read_whenNothingExposed_expectationEveryFactNo() {
    Exposure exposure = readOwn();

    assertThat(exposure.knownUnexposed()).as(exposure.toString()).isTrue();
  }

  @Test
  void read_whenGetPolicyThrottled_expectationPolicyFactsUnknownOthersRead() {
    lambda.put("url:null", GetFunctionUrlConfigResponse.builder().authType("NONE")
        .functionUrl("https://abc.lambda-url.us-east-1.on.aws/").build());
    lambda.put("policy:null", error(false, 429, "TooManyRequestsException"));

    Exposure exposure = readOwn();

    assertThat(exposure.publicUrl().answer()).isEqualTo(Answer.YES);
    assertThat(exposure.publicUrl().evidence()).singleElement().asString().contains("lambda-url").contains("NONE");
    assertThat(exposure.publicInvoke().answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(exposure.publicInvoke().reason()).contains("lambda:GetPolicy").contains("throttled");
    assertThat(exposure.crossAccountInvoke().answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.NO);
  }

  @Test
  void read_whenListRolePoliciesDenied_expectationAdminUnknownNeverNo() {
    iam.put("listInline", error(true, 403, "AccessDenied"));

    Exposure exposure = readOwn();

    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(exposure.adminRole().reason()).contains("iam:ListRolePolicies access denied to this function's role");
    assertThat(exposure.knownUnexposed()).isFalse();
  }

  @Test
  void read_whenAttachedDeniedButInlineAdmin_expectationYesWithEvidence() {
    iam.put("listAttached", error(true, 403, "AccessDenied"));
    iam.put("listInline", ListRolePoliciesResponse.builder().policyNames("ops").isTruncated(false).build());
    iam.put("inline:ops", GetRolePolicyResponse.builder().policyDocument(
        java.net.URLEncoder.encode(ADMIN, java.nio.charset.StandardCharsets.UTF_8)).build());

    Exposure exposure = readOwn();

    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.YES);
    assertThat(exposure.adminRole().evidence()).singleElement().asString()
        .isEqualTo("inline policy ops statement 1: every action on every resource");
  }

  @Test
  void read_whenManagedAdministratorAccessAttached_expectationYesWithoutReadingIt() {
    iam.put("listAttached", ListAttachedRolePoliciesResponse.builder().isTruncated(false).attachedPolicies(
        AttachedPolicy.builder().policyArn("arn:aws:iam::aws:policy/AdministratorAccess").build(),
        AttachedPolicy.builder().policyArn("arn:aws:iam::" + OWN + ":policy/broken").build()).build());
    iam.put("version:arn:aws:iam::" + OWN + ":policy/broken", "{not json");

    Exposure exposure = readOwn();

    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.YES);
    assertThat(exposure.adminRole().evidence()).containsExactly(
        "AWS managed arn:aws:iam::aws:policy/AdministratorAccess attached");
  }

  @Test
  void read_whenManagedPolicyMalformed_expectationUnknownUnreadable() {
    iam.put("listAttached", ListAttachedRolePoliciesResponse.builder().isTruncated(false).attachedPolicies(
        AttachedPolicy.builder().policyArn("arn:aws:iam::" + OWN + ":policy/broken").build()).build());
    iam.put("version:arn:aws:iam::" + OWN + ":policy/broken", "{not json");

    Exposure exposure = readOwn();

    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(exposure.adminRole().reason()).contains("policy/broken unreadable");
  }

  @Test
  void read_whenRoleOfAnotherAccount_expectationUnknown() {
    Exposure exposure = read(new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
        new FunctionRef("aws", OWN, "us-east-1", "orders-api", null), ARN,
        "arn:aws:iam::999999999999:role/elsewhere", "java21");

    assertThat(exposure.adminRole().answer()).isEqualTo(Answer.UNKNOWN);
  }

  @Test
  void read_whenAliasScanned_expectationUrlAndPolicyOfTheAliasReadToo() {
    lambda.put("policy:live", GetPolicyResponse.builder().policy(
        "{\"Statement\":[{\"Sid\":\"partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + SPOKE
            + ":root\"},\"Action\":\"lambda:InvokeFunction\"}]}").build());

    Exposure exposure = read(new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1"),
        new FunctionRef("aws", OWN, "us-east-1", "orders-api", "live"), ARN + ":live", ROLE, "java21");

    assertThat(requests).filteredOn(r -> r instanceof GetFunctionUrlConfigRequest).hasSize(2);
    assertThat(exposure.crossAccountInvoke().answer()).isEqualTo(Answer.YES);
    assertThat(exposure.crossAccountInvoke().evidence()).singleElement().asString()
        .contains("qualifier live").contains("Sid partner").contains(SPOKE);
  }

  @Test
  void read_whenSpokeTarget_expectationEveryCallWithTheSpokesCredentials() {
    String spokeArn = "arn:aws:lambda:eu-west-1:" + SPOKE + ":function:orders-api";
    Config hub = new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", "spoke", "external-id-1");

    Exposure exposure = read(hub, new FunctionRef("aws", SPOKE, "eu-west-1", "orders-api", null), spokeArn,
        "arn:aws:iam::" + SPOKE + ":role/r", "nodejs-never-heard.x");

    assertThat(requests).hasSizeGreaterThanOrEqualTo(4).allSatisfy(r -> assertThat(
        r.overrideConfiguration().orElseThrow().credentialsProvider().orElseThrow().resolveCredentials()
            .accessKeyId()).isEqualTo("ASIAFAKE1"));
    assertThat(exposure.deprecatedRuntime().answer()).isEqualTo(Answer.UNKNOWN);
  }

  private Object answer(Map<String, Object> answers, String key, AwsRequest request, Object otherwise) {
    requests.add(request);
    Object answer = answers.getOrDefault(key, otherwise);
    if (answer instanceof RuntimeException e) {
      throw e;
    }
    return answer;
  }

  private final class FakeLambda implements LambdaClient {
    @Override
    public GetFunctionUrlConfigResponse getFunctionUrlConfig(GetFunctionUrlConfigRequest request) {
      Object a = answer(lambda, "url:" + request.qualifier(), request, ResourceNotFoundException.builder().build());
      return (GetFunctionUrlConfigResponse) a;
    }

    @Override
    public GetPolicyResponse getPolicy(GetPolicyRequest request) {
      return (GetPolicyResponse) answer(lambda, "policy:" + request.qualifier(), request,
          ResourceNotFoundException.builder().build());
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }

  private final class FakeIam implements IamClient {
    @Override
    public ListAttachedRolePoliciesResponse listAttachedRolePolicies(ListAttachedRolePoliciesRequest request) {
      assertThat(request.roleName()).isIn("orders-api-role", "r");
      return (ListAttachedRolePoliciesResponse) answer(iam, "listAttached", request,
          ListAttachedRolePoliciesResponse.builder().isTruncated(false).build());
    }

    @Override
    public ListRolePoliciesResponse listRolePolicies(ListRolePoliciesRequest request) {
      return (ListRolePoliciesResponse) answer(iam, "listInline", request,
          ListRolePoliciesResponse.builder().isTruncated(false).build());
    }

    @Override
    public GetRolePolicyResponse getRolePolicy(GetRolePolicyRequest request) {
      return (GetRolePolicyResponse) answer(iam, "inline:" + request.policyName(), request, null);
    }

    @Override
    public software.amazon.awssdk.services.iam.model.GetPolicyResponse getPolicy(
        software.amazon.awssdk.services.iam.model.GetPolicyRequest request) {
      requests.add(request);
      return software.amazon.awssdk.services.iam.model.GetPolicyResponse.builder()
          .policy(Policy.builder().arn(request.policyArn()).defaultVersionId("v3").build()).build();
    }

    @Override
    public GetPolicyVersionResponse getPolicyVersion(GetPolicyVersionRequest request) {
      assertThat(request.versionId()).isEqualTo("v3");
      String document = (String) answer(iam, "version:" + request.policyArn(), request, ADMIN);
      return GetPolicyVersionResponse.builder().policyVersion(PolicyVersion.builder().document(document).build())
          .build();
    }

    @Override
    public String serviceName() {
      return "iam";
    }

    @Override
    public void close() {}
  }
}
