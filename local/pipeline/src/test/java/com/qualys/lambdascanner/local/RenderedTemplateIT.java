package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * template.yaml as CloudFormation deploys it for a given stack name, region and parameters ({@link RenderedStack}:
 * the SAM transform, intrinsics resolved), for what only shows once names and conditions are rendered (issue 18).
 */
class RenderedTemplateIT {

  private static final java.nio.file.Path TEMPLATE = Samples.projectRoot().resolve("template.yaml");

  private static RenderedStack render(String stackName, String region, Map<String, String> parameters)
      throws Exception {
    return RenderedStack.of(TEMPLATE, stackName, region, parameters);
  }

  /** IAM's wildcards: {@code *} any run of characters (slashes too), {@code ?} one character. */
  static boolean iamMatches(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return value.matches(regex.toString());
  }

  private static List<Object> list(Object value) {
    return value instanceof List<?> l ? new ArrayList<>(l) : value == null ? List.of() : List.of(value);
  }

  /** The statements of a role's inline policies, and of the stack's AWS::IAM::RolePolicy resources attached to it. */
  private static List<Map<String, Object>> statements(RenderedStack stack, String roleId) {
    List<Object> documents = new ArrayList<>();
    list(stack.properties(roleId).get("Policies")).forEach(p -> documents.add(Template.map(p).get("PolicyDocument")));
    stack.resources().forEach((id, resource) -> {
      if ("AWS::IAM::RolePolicy".equals(Template.map(resource).get("Type")) && stack.exists(id)
          && stack.roleName(roleId).equals(stack.properties(id).get("RoleName"))) {
        documents.add(stack.properties(id).get("PolicyDocument"));
      }
    });
    return documents.stream().flatMap(d -> list(Template.map(d).get("Statement")).stream()).map(Template::map).toList();
  }

  /** Whether the role's own policies allow the action on the resource (Allow statements; no Deny among them). */
  private static boolean allows(RenderedStack stack, String roleId, String action, String resource) {
    return statements(stack, roleId).stream().anyMatch(s -> "Allow".equals(s.get("Effect"))
        && list(s.get("Action")).stream().anyMatch(a -> iamMatches(String.valueOf(a), action))
        && list(s.get("Resource")).stream().anyMatch(r -> iamMatches(String.valueOf(r), resource)));
  }

  /** Whether the trust policy admits the principal ARN through a statement of Principal the account root. */
  private static boolean trustAdmits(RenderedStack stack, String roleId, String principalArn) {
    Map<String, Object> trust = Template.map(stack.properties(roleId).get("AssumeRolePolicyDocument"));
    return list(trust.get("Statement")).stream().map(Template::map).anyMatch(s -> "Allow".equals(s.get("Effect"))
        && list(Template.map(s.get("Principal")).get("AWS")).contains(
            "arn:aws:iam::" + RenderedStack.ACCOUNT + ":root")
        && Template.map(s.get("Condition")).entrySet().stream().allMatch(operator -> {
          if (!List.of("ArnEquals", "ArnLike").contains(operator.getKey())) {
            return false; // an operator this test does not evaluate counts as not met
          }
          return Template.map(operator.getValue()).entrySet().stream().allMatch(key -> key.getKey()
              .equals("aws:PrincipalArn") && list(key.getValue()).stream()
              .anyMatch(p -> iamMatches(String.valueOf(p), principalArn)));
        }));
  }

  @Test
  void scanRoleTrust_whenStackNameIs60Characters_expectationRunQScannersRoleAdmittedAndNoOther() throws Exception {
    String stackName = "qualys-lambda-scanner-production-eu-central-1-team-security1";
    assertThat(stackName).hasSize(60);
    RenderedStack stack = render(stackName, "eu-central-1", Map.of());
    String runQScannerRole = stack.roleArn("RunQScannerFunctionRole");
    assertThat(stack.roleName("RunQScannerFunctionRole")).as("CloudFormation's cut").hasSizeLessThanOrEqualTo(64)
        .doesNotContain("RunQScannerFunctionRole");

    assertThat(trustAdmits(stack, "ScanRole", runQScannerRole)).as("ScanRole trusts " + runQScannerRole).isTrue();
    assertThat(trustAdmits(stack, "ScanRole", stack.roleArn("StoreResultsFunctionRole"))).isFalse();
    assertThat(trustAdmits(stack, "ScanRole", "arn:aws:iam::" + RenderedStack.ACCOUNT
        + ":role/qualys-lambda-scanner/" + stackName + "-RunQScannerFunctionRole-X")).as("a look-alike").isFalse();
    assertThat(allows(stack, "RunQScannerFunctionRole", "sts:AssumeRole", stack.roleArn("ScanRole"))).isTrue();
  }

  @Test
  void chatConfigurationNames_whenOneStackNameInTwoRegions_expectationDistinctWithinTheNameLimits() throws Exception {
    String longest = "q".repeat(128); // CloudFormation allows stack names of 128 characters
    Map<String, String> chat = Map.of("SlackWorkspaceId", "T0123ABCD", "SlackChannelId", "C0123ABCD",
        "TeamsTenantId", "00000000-0000-0000-0000-000000000001", "TeamsTeamId", "00000000-0000-0000-0000-000000000002",
        "TeamsChannelId", "19%3Aabc%40thread.tacv2");
    List<String> names = new ArrayList<>();
    for (String region : List.of("us-east-1", "ap-southeast-6")) {
      RenderedStack stack = render(longest, region, chat);
      for (String channel : List.of("SlackChannel", "TeamsChannel")) {
        names.add(String.valueOf(stack.properties(channel).get("ConfigurationName")));
      }
    }

    assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(name)
        .hasSizeLessThanOrEqualTo(128).matches("^[A-Za-z0-9-_]+$"));
    assertThat(names.get(0)).contains("us-east-1");
    assertThat(names.get(2)).contains("ap-southeast-6");
  }

  @Test
  void snapStart_whenRegionWithoutSnapStart_expectationNoFunctionAsksForItAndAliasesStay() throws Exception {
    for (String region : List.of("ap-southeast-6", "ap-east-2")) {
      RenderedStack stack = render("qualys-lambda-scanner", region, Map.of());
      List<String> functions = stack.resources().entrySet().stream()
          .filter(e -> "AWS::Lambda::Function".equals(Template.map(e.getValue()).get("Type"))
              && stack.exists(e.getKey())).map(Map.Entry::getKey).toList();
      assertThat(functions).hasSizeGreaterThanOrEqualTo(5);
      for (String function : functions) {
        assertThat(stack.properties(function)).as(region + " " + function).doesNotContainKey("SnapStart");
        assertThat(stack.resources()).as("still published and aliased").containsKey(function + "Aliaslive");
      }
    }

    RenderedStack offered = render("qualys-lambda-scanner", "us-east-1", Map.of());
    assertThat(offered.properties("ResolveTargetFunction").get("SnapStart"))
        .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    assertThat(offered.properties("RunQScannerFunction").get("SnapStart")).as("over 512 MB of /tmp")
        .isEqualTo(Map.of("ApplyOn", "None"));
  }

  /** The Lambda functions the stack creates, by logical id. */
  private static List<String> functions(RenderedStack stack) {
    return stack.resources().entrySet().stream()
        .filter(e -> "AWS::Lambda::Function".equals(Template.map(e.getValue()).get("Type")) && stack.exists(e.getKey()))
        .map(Map.Entry::getKey).sorted().toList();
  }

  @Test
  void scannerPackaging_whenImage_expectationRunQScannerAnImageWithTheSameRoleAndSettingsTheOthersZip()
      throws Exception {
    RenderedStack zip = render("qualys-lambda-scanner", "us-east-1", Map.of());
    RenderedStack image = render("qualys-lambda-scanner", "us-east-1", Map.of("ScannerPackaging", "image",
        "ScannerImageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/run-qscanner:java25"));

    assertThat(zip.exists("RunQScannerImageFunction")).isFalse();
    assertThat(image.exists("RunQScannerFunction")).isFalse();
    assertThat(image.resources()).as("no qscanner layer for an image").allSatisfy((id, resource) -> assertThat(
        "AWS::Lambda::LayerVersion".equals(Template.map(resource).get("Type")) && image.exists(id)).isFalse());
    Map<String, Object> scanner = image.properties("RunQScannerImageFunction");
    Map<String, Object> zipScanner = zip.properties("RunQScannerFunction");
    assertThat(scanner.get("PackageType")).isEqualTo("Image");
    assertThat(scanner).doesNotContainKeys("Runtime", "Handler", "Layers", "SnapStart");
    assertThat(zipScanner.get("Runtime")).isEqualTo("java25");
    assertThat(zipScanner).containsKey("Layers");
    for (String property : List.of("Role", "Environment", "MemorySize", "Timeout", "EphemeralStorage", "Architectures",
        "TracingConfig", "LoggingConfig")) {
      assertThat(scanner.get(property)).as(property).isNotNull().isEqualTo(zipScanner.get(property));
    }
    assertThat(scanner.get("Role")).isEqualTo(image.roleArn("RunQScannerFunctionRole"));
    assertThat(statements(image, "RunQScannerFunctionRole")).as("the same grants either way")
        .isEqualTo(statements(zip, "RunQScannerFunctionRole"));
    assertThat(image.properties("RunQScannerFunctionRole").get("ManagedPolicyArns")).isEqualTo(List.of(
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"));

    // Everything that names Run QScanner names the image function's (alias).
    assertThat(String.valueOf(Template.map(image.properties("ScanStateMachine").get("DefinitionSubstitutions"))
        .get("RunQScannerFunctionArn"))).endsWith("function:RunQScannerImageFunctionAliaslive:live");
    assertThat(String.valueOf(image.properties("ScanStateMachineRole").get("Policies")))
        .contains("RunQScannerImageFunctionAliaslive").doesNotContain("RunQScannerFunctionAliaslive");
    assertThat(String.valueOf(image.properties("ResolveTargetFunction").get("Environment")))
        .contains("RunQScannerImageFunction,");
    assertThat(String.valueOf(image.properties("RunQScannerThrottlesAlarm").get("Dimensions")))
        .contains("RunQScannerImageFunction");

    // The other functions stay zip functions with SnapStart, in both renderings.
    for (RenderedStack stack : List.of(zip, image)) {
      List<String> others = functions(stack).stream().filter(f -> !f.startsWith("RunQScanner")).toList();
      assertThat(others).hasSize(6);
      assertThat(others).allSatisfy(f -> {
        assertThat(stack.properties(f).get("Runtime")).as(f).isEqualTo("java25");
        assertThat(stack.properties(f).get("SnapStart")).as(f).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
      });
    }
  }

  /** The state machine's ASL rendered with the stack's own DefinitionSubstitutions. */
  private static JsonNode definition(RenderedStack stack, String stateMachineId, String aslFile) throws Exception {
    Map<String, String> values = new HashMap<>();
    Template.map(stack.properties(stateMachineId).get("DefinitionSubstitutions"))
        .forEach((k, v) -> values.put(k, String.valueOf(v)));
    return new ObjectMapper().readTree(LocalPipeline.renderDefinition(Samples.projectRoot(), aslFile, values));
  }

  @Test
  void fleetScanTimeout_always_expectationNotBeforeTheScanMachinesOwnBackstop() throws Exception {
    RenderedStack stack = render("qualys-lambda-scanner", "us-east-1", Map.of());
    int backstop = definition(stack, "ScanStateMachine", "statemachine/scan-pipeline.asl.json")
        .path("TimeoutSeconds").asInt();
    JsonNode scanFunction = definition(stack, "FleetStateMachine", LocalFleet.ASL_FILE).findParent("Scan Function")
        .path("Scan Function");

    assertThat(scanFunction.path("Resource").asText()).isEqualTo("arn:aws:states:::states:startExecution.sync:2");
    assertThat(backstop).isGreaterThanOrEqualTo(3600);
    assertThat(scanFunction.path("TimeoutSeconds").asInt()).as("a fleet item waits as long as its scan may run")
        .isGreaterThanOrEqualTo(backstop);
  }

  @Test
  void fleetRole_whenDistributedMapFollowsItsChildren_expectationBothExecutionArnFormsAwsDocuments() throws Exception {
    String stackName = "qualys-lambda-scanner";
    RenderedStack stack = render(stackName, "us-east-1", Map.of());
    String executions = "arn:aws:states:us-east-1:" + RenderedStack.ACCOUNT + ":execution:" + stackName + "-fleet";

    for (String action : List.of("states:DescribeExecution", "states:StopExecution")) {
      assertThat(allows(stack, "FleetStateMachineRole", action, executions + "/Fleet:4f1c0d6e-0b7a-4e59"))
          .as(action + " on a map run's child").isTrue();
      assertThat(allows(stack, "FleetStateMachineRole", action, executions + ":weekly-run-2026-12-07"))
          .as(action + " on the machine's execution").isTrue();
      assertThat(allows(stack, "FleetStateMachineRole", action,
          "arn:aws:states:us-east-1:" + RenderedStack.ACCOUNT + ":execution:other-machine:x")).isFalse();
    }
  }
}
