package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.Authorization.Decision;
import com.qualys.lambdascanner.emulator.PolicyRenderer;
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
 * key's grants, the encryption every upload must keep. The end-to-end tests run the same policies under enforcement.
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

  private static Authorization authorization;
  private static Map<String, String> roles;

  @BeforeAll
  static void render() throws Exception {
    Path work = Files.createTempDirectory("stack-policies-");
    PipelineResources resources = new PipelineResources(BUCKET, KEY,
        "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":qualys-lambda-scanner-findings", "", "",
        "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:qualys-lambda-scanner/qualys-AbCdEf", "", "");
    ObjectNode request = LocalAuthorization.renderRequest(Samples.projectRoot(), ACCOUNT, REGION,
        PipelineSettings.Options.defaults(), resources, Map.of());
    request.putArray("otherRoles").add(JSON.readTree("""
        {"arn": "%s", "stack": "account", "logicalId": "Administrator", "trust": {},
         "policies": [{"name": "AdministratorAccess", "document": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}""".formatted(ADMIN)));
    Path rendered = PolicyRenderer.render(request.toString(), work.resolve("policies.json"));
    roles = LocalAuthorization.stackRoles(rendered);
    authorization = Authorization.start(Samples.projectRoot(), rendered, work.resolve("authz.log"));
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

  private static String object(String key) {
    return "arn:aws:s3:::" + BUCKET + "/" + key;
  }
}
