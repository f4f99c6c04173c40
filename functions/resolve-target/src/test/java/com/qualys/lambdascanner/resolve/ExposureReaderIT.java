package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.resolve.exposure.ExposureReader;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The execution role's customer managed policies read by the real exposure reader, built as Resolve Target's Dagger
 * module builds it, as ResolveTargetFunctionRole (the stack's IAM enforced): iam:GetPolicy and GetPolicyVersion on
 * the account's own policy, granted by ReadTargetManagedPolicies, and in hub mode by the spoke role's
 * ReadManagedPolicies. The end-to-end tests attach only AWS's AdministratorAccess, recognised by its ARN unread.
 */
class ExposureReaderIT {

  private static final String HUB = EnforcedAws.ACCOUNT;
  private static final String SPOKE = "210987654321";
  private static final String SPOKE_ROLE = "qualys-lambda-scanner-spoke";
  private static final String EXTERNAL_ID = "exposure-reader-it-external-id";
  private static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
  private static final String HARMLESS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::orders-config/*\"}]}";

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .hub(SPOKE_ROLE, EXTERNAL_ID, SPOKE)
      .build();

  private static SdkHttpClient http;
  /** The deployer's, in the hub account and (assumed) in the spoke account: roles and policies to read. */
  private static IamClient hubIam;
  private static IamClient spokeIam;
  private static String spokeKey;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void clients() {
    http = UrlConnectionHttpClient.create();
    hubIam = AWS.harness(IamClient.builder());
    Credentials spoke = AWS.harness(StsClient.builder())
        .assumeRole(b -> b.roleArn("arn:aws:iam::" + SPOKE + ":role/it-admin").roleSessionName("it-setup"))
        .credentials();
    spokeKey = spoke.accessKeyId();
    spokeIam = IamClient.builder().httpClient(http).endpointOverride(AWS.moto().endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsSessionCredentials.create(spoke.accessKeyId(), spoke.secretAccessKey(), spoke.sessionToken())))
        .build();
  }

  @AfterAll
  static void close() {
    spokeIam.close();
    http.close();
  }

  /** The module builds its IAM and Lambda clients from the environment: the endpoint is the enforcing one. */
  @BeforeEach
  void environment() {
    AWS.actAsDefault("ResolveTargetFunctionRole");
  }

  @Test
  void read_whenRoleHasCustomerManagedAdminPolicy_expectationAdminRoleYesWithThePolicyAsEvidence() {
    String policy = roleWithPolicy(hubIam, "testing", HUB, "orders-admin-" + suffix, ADMIN);

    ExposureFact admin = readAdmin(HUB, "us-east-1", "orders-admin-" + suffix);

    assertThat(admin.answer()).as(admin.reason()).isEqualTo(ExposureFact.Answer.YES);
    assertThat(admin.evidence()).anySatisfy(evidence -> assertThat(evidence).contains(policy));
  }

  @Test
  void read_whenRoleHasHarmlessCustomerManagedPolicy_expectationAdminRoleNo() {
    roleWithPolicy(hubIam, "testing", HUB, "orders-reader-" + suffix, HARMLESS);

    ExposureFact admin = readAdmin(HUB, "us-east-1", "orders-reader-" + suffix);

    assertThat(admin.answer()).as(admin.reason()).isEqualTo(ExposureFact.Answer.NO);
  }

  @Test
  void read_whenHubModeAndSpokeRoleHasCustomerManagedAdminPolicy_expectationReadThroughTheSpokeRoleYes() {
    String policy = roleWithPolicy(spokeIam, spokeKey, SPOKE, "orders-admin-" + suffix, ADMIN);

    ExposureFact admin = readAdmin(SPOKE, "eu-west-1", "orders-admin-" + suffix);

    assertThat(admin.answer()).as(admin.reason()).isEqualTo(ExposureFact.Answer.YES);
    assertThat(admin.evidence()).anySatisfy(evidence -> assertThat(evidence).contains(policy));
  }

  @Test
  void read_whenHubModeAndSpokeRoleHasHarmlessCustomerManagedPolicy_expectationAdminRoleNo() {
    roleWithPolicy(spokeIam, spokeKey, SPOKE, "orders-reader-" + suffix, HARMLESS);

    ExposureFact admin = readAdmin(SPOKE, "eu-west-1", "orders-reader-" + suffix);

    assertThat(admin.answer()).as(admin.reason()).isEqualTo(ExposureFact.Answer.NO);
  }

  /**
   * The admin fact of a function of {@code account} whose execution role is {@code roleName}, read in hub mode by
   * the reader the module builds. The function itself need not exist: its URL and resource policy are other facts.
   */
  private ExposureFact readAdmin(String account, String region, String roleName) {
    String roleArn = "arn:aws:iam::" + account + ":role/" + roleName;
    String function = "orders-api-" + suffix;
    Config config = new Config(AWS.bucket(), "QualysScan", null, Duration.ofHours(1), EnforcedAws.REGION, SPOKE_ROLE,
        EXTERNAL_ID);
    AwsCredentialsProvider credentials = AWS.credentials("ResolveTargetFunctionRole");
    TargetAccess access =
        ResolveTargetModule.targetAccess(config, AWS.client(StsClient.builder(), "ResolveTargetFunctionRole"));
    ExposureReader reader = ResolveTargetModule.exposureReader(
        ResolveTargetModule.lambdaClients(http, credentials), http, credentials, access, Clock.systemUTC());
    String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + function;
    FunctionRef ref = new FunctionRef("aws", account, region, function, null);
    FunctionDescription description = new FunctionDescription(arn, "$LATEST", "Zip", "java21", List.of("x86_64"),
        "c2hh", null, null, List.of(), "Active", Map.of(), null, roleArn);
    Exposure exposure = reader.read(ref, description, "scan-" + suffix);
    return exposure.adminRole();
  }

  /**
   * A Lambda execution role in {@code account} (whose deployer's client and access key are given) with one customer
   * managed policy attached; returns the policy's ARN.
   */
  private String roleWithPolicy(IamClient iam, String accessKeyId, String account, String name, String document) {
    AWS.moto().createLambdaRole(name, accessKeyId, account);
    String policy = iam.createPolicy(b -> b.policyName(name + "-policy").policyDocument(document)).policy().arn();
    iam.attachRolePolicy(b -> b.roleName(name).policyArn(policy));
    assertThat(policy).startsWith("arn:aws:iam::" + account + ":policy/");
    return policy;
  }
}
