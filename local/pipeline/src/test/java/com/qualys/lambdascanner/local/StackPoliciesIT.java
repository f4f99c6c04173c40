package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.Authorization.Decision;
import com.qualys.lambdascanner.emulator.PolicyRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stack's own policies (template.yaml rendered as a local run renders it), evaluated by the emulator's IAM
 * evaluator without running anything: the bucket policy's guards against the account's other principals, the results
 * key's grants, the encryption every upload must keep, the TlsOnly Denys of the resources no stack role sends to, the
 * operations key's administration. The end-to-end tests run the same policies under enforcement; {@link PolicyGuardsIT}
 * meets the guards with the pipeline's own real requests.
 */
class StackPoliciesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = PipelineSettings.DEFAULT_ACCOUNT;
  private static final String REGION = PipelineSettings.DEFAULT_REGION;
  private static final String BUCKET = "qualys-lambda-scanner-results-" + ACCOUNT + "-" + REGION;
  private static final String KEY = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/0ecb631c-97e0-4f19-a8b4-1e3830a4b555";
  /** Another principal of the account, allowed everything by its own policy: an administrator. */
  private static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/administrator";
  private static final Map<String, String> VIA_S3 = Map.of("kms:ViaService", "s3." + REGION + ".amazonaws.com");

  private static final PipelineResources RESOURCES = new PipelineResources(BUCKET, KEY,
      "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":qualys-lambda-scanner-findings", "", "",
      "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:qualys-lambda-scanner/qualys-AbCdEf", "", "");
  /** AWS's HTTPS endpoints, and the plain http:// ones the TlsOnly statements refuse. */
  private static final Map<String, String> HTTPS = Map.of("aws:SecureTransport", "true");
  private static final Map<String, String> PLAIN_HTTP = Map.of("aws:SecureTransport", "false");

  private static Authorization authorization;
  private static Path rendered;
  private static Map<String, String> roles;

  @BeforeAll
  static void render() throws Exception {
    Path work = Files.createTempDirectory("stack-policies-");
    // QuarantineOnDeny as ActingOnFindingsIT runs it: Store Results' two Denys on quarantining the stack's own.
    ObjectNode request = LocalAuthorization.renderRequest(Samples.projectRoot(), ACCOUNT, REGION,
        PipelineSettings.Options.defaults(), RESOURCES, Map.of("store-results", Map.of("QUARANTINE_ON_DENY", "true")));
    request.putArray("otherRoles").add(administrator(ADMIN));
    rendered = PolicyRenderer.render(request.toString(), work.resolve("policies.json"));
    roles = LocalAuthorization.stackRoles(rendered);
    authorization = Authorization.start(Samples.projectRoot(), rendered, work.resolve("authz.log"));
  }

  /** A principal of the account that is none of the stack's, allowed everything by its own identity policy. */
  static JsonNode administrator(String arn) throws IOException {
    return JSON.readTree("""
        {"arn": "%s", "stack": "account", "logicalId": "Administrator", "trust": {},
         "policies": [{"name": "AdministratorAccess", "document": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}""".formatted(arn));
  }

  @AfterAll
  static void stop() {
    authorization.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reports/123456789012/us-east-1/fn/scan/findings-index.json", "claims/abc.json",
      "results/account=123456789012/region=us-east-1/date=2026-12-07/scan.json", "latest/123456789012/us-east-1/fn.json"})
  void putObject_whenAnotherPrincipalOfTheAccount_expectationExplicitlyDeniedByTheBucketPolicy(String key) {
    Decision decision = authorization.evaluate(ADMIN, "s3:PutObject", object(key), Map.of());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.deniedBy()).anyMatch(statement -> statement.startsWith("ResultsBucketPolicy#OnlyPipelineWrites"));
  }

  @Test
  void getObject_whenAnotherPrincipalReadsAReport_expectationExplicitlyDenied() {
    Decision decision = authorization.evaluate(ADMIN, "s3:GetObject",
        object("reports/123456789012/us-east-1/fn/scan/Report.sarif.json"), Map.of());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.deniedBy()).contains("ResultsBucketPolicy#OnlyPipelineAndReaderReadReports");
  }

  @Test
  void putObject_whenRefusedByADenyStatement_expectationTheDenyRecordedAsRefusedForMakeIamReport() throws Exception {
    Path usage = Path.of(System.getProperty("authz.usage"));
    int before = Files.exists(usage) ? Files.readAllLines(usage).size() : 0;

    authorization.evaluate(ADMIN, "s3:PutObject", object("claims/refused.json"), Map.of());

    List<String> lines = Files.readAllLines(usage);
    assertThat(lines.subList(before, lines.size())).contains("ResultsBucketPolicy#OnlyPipelineWritesClaims\ts3:PutObject\t"
        + "StackPoliciesIT#putObject_whenRefusedByADenyStatement_expectationTheDenyRecordedAsRefusedForMakeIamReport"
        + "\trefused");
  }

  @Test
  void getObject_whenStoreResultsReadsTheFindingsIndex_expectationAllowed() {
    Decision decision = authorization.evaluate(roles.get("StoreResultsFunctionRole"), "s3:GetObject",
        object("reports/123456789012/us-east-1/fn/scan/findings-index.json"), Map.of());

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
  }

  @Test
  void putObject_whenTheUploadAsksForSseS3_expectationDeniedEvenForThePipeline() {
    Decision decision = authorization.evaluate(roles.get("StoreResultsFunctionRole"), "s3:PutObject",
        object("results/account=123456789012/region=us-east-1/date=2026-12-07/scan.json"),
        Map.of("s3:x-amz-server-side-encryption", "AES256"));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.deniedBy()).contains("ResultsBucketPolicy#OnlyResultsKeyEncryption");
  }

  @Test
  void putObject_whenTheUploadNamesAnotherKey_expectationDenied() {
    Decision decision = authorization.evaluate(roles.get("StoreResultsFunctionRole"), "s3:PutObject",
        object("latest/123456789012/us-east-1/fn.json"), Map.of("s3:x-amz-server-side-encryption", "aws:kms",
            "s3:x-amz-server-side-encryption-aws-kms-key-id", KEY.replace("0ecb", "ffff")));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.deniedBy()).contains("ResultsBucketPolicy#OnlyResultsKey");
  }

  @Test
  void putObject_whenTheUploadNamesNoEncryption_expectationAllowed() {
    Decision decision = authorization.evaluate(roles.get("StoreResultsFunctionRole"), "s3:PutObject",
        object("latest/123456789012/us-east-1/fn.json"), Map.of());

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"FleetEnumerateFunctionRole:kms:GenerateDataKey", "FleetCoverageFunctionRole:kms:Decrypt",
      "FleetCoverageFunctionRole:kms:GenerateDataKey", "FleetStateMachineRole:kms:Decrypt",
      "FleetStateMachineRole:kms:GenerateDataKey"})
  void useResultsKey_whenTheFleetReadsOrWritesThroughS3_expectationAllowedByRoleAndKeyPolicy(String roleAndAction) {
    String[] parts = roleAndAction.split(":", 2);

    Decision decision = authorization.evaluate(roles.get(parts[0]), parts[1], KEY, VIA_S3);

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
    assertThat(decision.allowedBy()).contains(parts[0] + "." + parts[0] + "Policy0#UseResultsKey",
        "ResultsKey#AccountAdministers");
  }

  @Test
  void useResultsKey_whenNotThroughS3_expectationDenied() {
    Decision decision = authorization.evaluate(roles.get("FleetCoverageFunctionRole"), "kms:Decrypt", KEY, Map.of());

    assertThat(decision.allowed()).isFalse();
  }

  @Test
  void serviceRequest_whenLambdaAssumesAFunctionsRole_expectationAllowedByThatRolesTrustOnly() {
    Decision decision = authorization.serviceRequest("lambda.amazonaws.com", "sts:AssumeRole",
        roles.get("NotifyFunctionRole"), Map.of("aws:SourceAccount", ACCOUNT));

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
    assertThat(decision.principal()).isEqualTo("lambda.amazonaws.com");
    assertThat(decision.allowedBy()).singleElement().asString().startsWith("NotifyFunctionRole.trust#");
  }

  @Test
  void serviceRequest_whenAnotherServiceAssumesAFunctionsRole_expectationRefusedForNoIdentityPolicyApplies() {
    Decision decision = authorization.serviceRequest("states.amazonaws.com", "sts:AssumeRole",
        roles.get("NotifyFunctionRole"), Map.of("aws:SourceAccount", ACCOUNT));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.allowedBy()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"OperationsTopicPolicy:OperationsTopic:sns:Publish",
      "DeadLetterQueuePolicy:DeadLetterQueue:sqs:SendMessage", "DeadLetterQueuePolicy:DeadLetterQueue:sqs:ReceiveMessage"})
  void request_whenAnAllowedPrincipalUsesPlainHttp_expectationRefusedByTheResourcesTlsOnly(String policyResourceAction)
      throws IOException {
    // No role of the stack sends to these (CloudWatch and EventBridge do, as services): the account's administrator,
    // whom the policies otherwise admit, stands for any principal.
    String[] parts = policyResourceAction.split(":", 3);
    String resource = resourceArn(rendered, parts[0]);

    Decision plain = authorization.evaluate(ADMIN, parts[2], resource, PLAIN_HTTP);
    Decision secure = authorization.evaluate(ADMIN, parts[2], resource, HTTPS);

    assertThat(resource).contains(ACCOUNT);
    assertThat(plain.allowed()).as(plain.toString()).isFalse();
    assertThat(plain.deniedBy()).containsExactly(parts[0] + "#TlsOnly");
    assertThat(secure.allowed()).as(secure.toString()).isTrue();
  }

  @Test
  void sendMessage_whenTheSpokesForwardingDeadLetterQueueOverPlainHttp_expectationRefusedByItsTlsOnly() throws Exception {
    // templates/spoke.yaml, rendered in hub mode for a spoke account (its forwarding rule's dead-letter queue).
    String spoke = LocalAuthorization.SPOKE_ACCOUNTS.getFirst();
    String spokeAdmin = "arn:aws:iam::" + spoke + ":role/administrator";
    Path work = Files.createTempDirectory("stack-policies-hub-");
    ObjectNode request = LocalAuthorization.renderRequest(Samples.projectRoot(), ACCOUNT, REGION,
        PipelineSettings.Options.defaults().withHub("qualys-lambda-scanner-spoke", "external-id"), RESOURCES, Map.of());
    request.putArray("otherRoles").add(administrator(spokeAdmin));
    Path hub = PolicyRenderer.render(request.toString(), work.resolve("policies.json"));
    String queue = resourceArn(hub, "ForwardDeadLetterQueuePolicy", spoke);

    try (Authorization spokeAuthorization = Authorization.start(Samples.projectRoot(), hub, work.resolve("authz.log"))) {
      Decision plain = spokeAuthorization.evaluate(spokeAdmin, "sqs:SendMessage", queue, PLAIN_HTTP);
      Decision secure = spokeAuthorization.evaluate(spokeAdmin, "sqs:SendMessage", queue, HTTPS);

      assertThat(plain.allowed()).as(plain.toString()).isFalse();
      assertThat(plain.deniedBy()).containsExactly("ForwardDeadLetterQueuePolicy#TlsOnly");
      assertThat(secure.allowed()).as(secure.toString()).isTrue();
    }
  }

  @Test
  void putFunctionConcurrency_whenStoreResultsAsksForAFunctionWithTheStacksTag_expectationDeniedByNeverQuarantine() {
    // CloudFormation tags every function of the stack with its stack id (aws: keys: no one else can set them);
    // resolve-target is not among the exact ARNs of NeverQuarantineOwnFunctions, so only the tag protects it.
    String storeResults = roles.get("StoreResultsFunctionRole");
    String resolveTarget = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:resolve-target";
    String stackId = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + LocalAuthorization.STACK_NAME
        + "/local";

    Decision tagged = authorization.evaluate(storeResults, "lambda:PutFunctionConcurrency", resolveTarget,
        Map.of("aws:ResourceTag/aws:cloudformation:stack-id", stackId,
            "aws:ResourceTag/qualys-lambda-scanner:component", "resolve-target"));
    Decision tenant = authorization.evaluate(storeResults, "lambda:PutFunctionConcurrency",
        "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:tenant-fn",
        Map.of("aws:ResourceTag/qualys-lambda-scanner:component", "resolve-target"));

    assertThat(tagged.allowed()).as(tagged.toString()).isFalse();
    assertThat(tagged.deniedBy()).singleElement().asString().endsWith("#NeverQuarantineThisStacksFunctions");
    assertThat(tenant.allowed()).as("the component tag alone proves nothing: " + tenant).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kms:DescribeKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"})
  void administerOperationsKey_whenTheAccountsAdministrator_expectationAllowedByAccountAdministers(String action)
      throws IOException {
    String key = resourceArn(rendered, "OperationsKey");

    Decision decision = authorization.evaluate(ADMIN, action, key, Map.of());

    assertThat(decision.allowed()).as(decision.toString()).isTrue();
    assertThat(decision.allowedBy()).contains("OperationsKey#AccountAdministers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kms:DescribeKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:Decrypt"})
  void administerOperationsKey_whenAnyRoleOfTheStack_expectationRefused(String action) throws IOException {
    // The key policy hands the key to the account's IAM; no role of the stack has an identity grant on it.
    String key = resourceArn(rendered, "OperationsKey");

    assertThat(roles).hasSizeGreaterThan(8);
    roles.forEach((logicalId, arn) -> {
      Decision decision = authorization.evaluate(arn, action, key, Map.of());
      assertThat(decision.allowed()).as(logicalId + ": " + decision).isFalse();
    });
  }

  /** The ARN a rendered resource policy applies to, by its logical id (in {@code account}: hub renders hold spokes). */
  private static String resourceArn(Path policies, String logicalId, String... account) throws IOException {
    for (JsonNode policy : JSON.readTree(policies.toFile()).path("resourcePolicies")) {
      String arn = policy.path("arns").path(0).asText();
      if (policy.path("logicalId").asText().equals(logicalId)
          && (account.length == 0 || arn.contains(":" + account[0] + ":"))) {
        return arn;
      }
    }
    throw new IllegalArgumentException("no resource policy " + logicalId + " rendered in " + policies);
  }

  private static String object(String key) {
    return "arn:aws:s3:::" + BUCKET + "/" + key;
  }
}
