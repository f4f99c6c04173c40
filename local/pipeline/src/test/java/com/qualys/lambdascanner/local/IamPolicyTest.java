package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every IAM policy in the templates, read as data (issue 12): no new wildcard grant, the results bucket's key and
 * policy, the spoke role's exact trust and the organization-scoped AssumeRole grants.
 */
class IamPolicyTest {

  private static final Path ROOT = Samples.projectRoot();

  /**
   * The Allow statements that may grant {@code Action: "*"}, {@code service:*} or {@code Resource: "*"}, by
   * {@code file#Sid}, each with why it cannot be narrower (docs/iam.md repeats the list).
   */
  static final Map<String, String> UNAVOIDABLE_WILDCARDS = Map.of(
      "template.yaml#EcrLogin", "ecr:GetAuthorizationToken has no resource-level permissions",
      "template.yaml#ListFunctions", "lambda:ListFunctions has no resource-level permissions (the fleet's inventory)",
      "template.yaml#ListOrganizationAccounts", "organizations:ListAccounts has no resource-level permissions (the"
          + " fleet's Organization accounts, only with FleetAccountsFromOrganization=true)",
      "templates/spoke.yaml#ListFunctions", "lambda:ListFunctions has no resource-level permissions (the hub's"
          + " fleet run lists the spoke's functions)",
      "templates/spoke.yaml#EcrLogin", "ecr:GetAuthorizationToken has no resource-level permissions",
      "template.yaml#DeliverErrorLogs", "the CloudWatch Logs vended-delivery APIs Step Functions calls take no resource",
      "template.yaml#AccountAdministers", "a key policy's Resource is the key itself; the account administers it"
          + " through IAM (kms:* to the account root, AWS's default key policy)",
      "template.yaml#CloudWatchAlarmsPublish", "a key policy's Resource is the key itself",
      "template.yaml#ReportsReaderDecrypts", "a key policy's Resource is the key itself");

  record Statement(String where, Map<String, Object> body) {}

  private static List<Path> templates() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("template.yaml")));
    try (Stream<Path> others = Files.list(ROOT.resolve("templates"))) {
      others.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    return files;
  }

  /** Every map with an Effect, anywhere in the template (inside !If branches too). */
  private static void collect(Object node, String file, List<Statement> out) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("Effect") instanceof String && (map.containsKey("Action") || map.containsKey("NotAction"))) {
        out.add(new Statement(file + "#" + map.get("Sid"), Template.map(map)));
      }
      map.values().forEach(v -> collect(v, file, out));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collect(v, file, out));
    }
  }

  private static List<Statement> statements() throws IOException {
    List<Statement> out = new ArrayList<>();
    for (Path file : templates()) {
      collect(Template.read(file).root(), ROOT.relativize(file).toString(), out);
    }
    return out;
  }

  private static List<Object> list(Object value) {
    return value instanceof List<?> l ? new ArrayList<>(l) : value == null ? List.of() : List.of(value);
  }

  @Test
  void allowStatements_whenWildcardActionOrResource_expectationOnlyTheDocumentedUnavoidableOnes() throws IOException {
    List<String> offending = new ArrayList<>();
    List<Statement> all = statements();
    for (Statement s : all) {
      if (!"Allow".equals(s.body().get("Effect"))) {
        continue; // a Deny with a wildcard only takes away
      }
      boolean wildAction = list(s.body().get("Action")).stream()
          .anyMatch(a -> "*".equals(a) || String.valueOf(a).matches("[A-Za-z0-9-]+:\\*"))
          || s.body().containsKey("NotAction");
      boolean wildResource = list(s.body().get("Resource")).stream().anyMatch("*"::equals)
          || s.body().containsKey("NotResource");
      if ((wildAction || wildResource) && !UNAVOIDABLE_WILDCARDS.containsKey(s.where())) {
        offending.add(s.where() + " " + s.body().get("Action") + " on " + s.body().get("Resource"));
      }
    }

    assertThat(all).as("the templates' statements were found").hasSizeGreaterThan(30);
    assertThat(offending).as("wildcard grants outside UNAVOIDABLE_WILDCARDS").isEmpty();
  }

  @Test
  void assumeRoleGrants_always_expectationScopedToTheOrganizationOrListedAccounts() throws IOException {
    List<Statement> assume = statements().stream()
        // Identity policies only (a trust policy's statement names a Principal instead of a Resource).
        .filter(s -> s.where().startsWith("template.yaml#") && "Allow".equals(s.body().get("Effect"))
            && !s.body().containsKey("Principal") && list(s.body().get("Action")).contains("sts:AssumeRole"))
        .toList();
    // The one own-account grant names its role exactly (run-qscanner's ScanRole); every other is a spoke grant.
    assertThat(assume).filteredOn(s -> String.valueOf(s.body().get("Resource")).contains("ScanRole"))
        .singleElement().satisfies(s -> assertThat(s.body().get("Resource"))
            .isEqualTo(Map.of("Fn::GetAtt", List.of("ScanRole", "Arn"))));
    assume = assume.stream().filter(s -> !String.valueOf(s.body().get("Resource")).contains("ScanRole")).toList();

    assertThat(assume).as("resolve-target, fetch-credentials, run-qscanner, fleet-enumerate, store-results"
        + " (SecurityHubExport): org and listed-account grants").hasSize(10);
    assertThat(assume).allSatisfy(s -> assertThat(String.valueOf(s.body().get("Condition")))
        .as(s.where()).containsAnyOf("aws:ResourceOrgID", "aws:ResourceAccount"));
  }

  @Test
  void listAccounts_onlyWhenFleetAccountsFromOrganization_expectationConditionalGrantAndTheFlagPassedOn() {
    Template hub = Template.find(ROOT).orElseThrow();
    List<Object> policies = list(hub.properties("FleetEnumerateFunction").get("Policies"));
    List<Object> statements = list(Template.map(policies.getFirst()).get("Statement"));
    List<Object> granting = new ArrayList<>();
    for (Object statement : statements) {
      if (String.valueOf(statement).contains("organizations:")) {
        granting.add(statement);
      }
    }

    assertThat(granting).as("one statement names Organizations").singleElement().satisfies(s -> {
      List<Object> branches = list(Template.map(s).get("Fn::If"));
      assertThat(branches).hasSize(3);
      assertThat(branches.getFirst()).isEqualTo("FleetListsOrganization");
      assertThat(Template.map(branches.get(1))).containsEntry("Action", "organizations:ListAccounts");
      assertThat(branches.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
    });
    assertThat(String.valueOf(Template.map(hub.root().get("Conditions")).get("FleetListsOrganization")))
        .isEqualTo("{Fn::Equals=[{Ref=FleetAccountsFromOrganization}, true]}");
    assertThat(String.valueOf(hub.functionProperty("FleetEnumerateFunction", "Environment").orElseThrow()))
        .contains("FLEET_ACCOUNTS_FROM_ORGANIZATION={Ref=FleetAccountsFromOrganization}");
    assertThat(String.valueOf(Template.map(hub.root().get("Parameters")).get("FleetAccountsFromOrganization")))
        .contains("Default=false");
  }

  @Test
  void spokeRole_always_expectationTrustsExactlyTheHubRolesWithExternalId() {
    Template spoke = Template.read(ROOT.resolve("templates/spoke.yaml"));
    Map<String, Object> trust = Template.map(spoke.properties("ScannerRole").get("AssumeRolePolicyDocument"));
    List<Object> trustStatements = list(trust.get("Statement"));

    assertThat(trustStatements).hasSize(1);
    Map<String, Object> statement = Template.map(trustStatements.getFirst());
    assertThat(Template.map(statement.get("Principal")).get("AWS")).isEqualTo(Map.of("Ref", "HubRoleArns"));
    assertThat(String.valueOf(statement.get("Condition")))
        .contains("sts:ExternalId").contains("aws:PrincipalOrgID").doesNotContain("ArnLike").doesNotContain(":root");

    Template hub = Template.find(ROOT).orElseThrow();
    String output = String.valueOf(Template.map(hub.root().get("Outputs")).get("SpokeTrustedRoleArns"));
    assertThat(output).contains("ResolveTargetFunctionRole").contains("FetchCredentialsFunctionRole")
        .contains("RunQScannerFunctionRole").contains("FleetEnumerateFunctionRole").doesNotContain("Notify");
    // Store Results only when it exports findings to Security Hub (it imports a spoke's findings there).
    Map<String, Object> value = Template.map(Template.map(Template.map(hub.root().get("Outputs"))
        .get("SpokeTrustedRoleArns")).get("Value"));
    List<Object> branches = list(value.get("Fn::If"));
    assertThat(branches.getFirst()).isEqualTo("ExportToSecurityHub");
    assertThat(String.valueOf(branches.get(1))).contains("StoreResultsFunctionRole");
    assertThat(String.valueOf(branches.get(2))).doesNotContain("StoreResults");
  }

  @Test
  void securityHubGrants_always_expectationOnlyBatchImportFindingsOnTheOwnAccountsProduct() throws IOException {
    List<Statement> grants = statements().stream()
        .filter(s -> list(s.body().get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("securityhub:")))
        .toList();

    assertThat(grants).extracting(Statement::where).containsExactlyInAnyOrder(
        "template.yaml#ImportFindingsToSecurityHub", "templates/spoke.yaml#ImportFindingsToSecurityHub");
    assertThat(grants).allSatisfy(s -> {
      assertThat(s.body().get("Action")).isEqualTo("securityhub:BatchImportFindings");
      assertThat(String.valueOf(s.body().get("Resource")))
          .contains(":${AWS::AccountId}:product/${AWS::AccountId}/default");
    });
  }

  @Test
  void resultsBucket_always_expectationCustomerManagedKeyAndOnlyPipelineWritesOrReadsReports() {
    Template hub = Template.find(ROOT).orElseThrow();
    String encryption = String.valueOf(hub.properties("ResultsBucket").get("BucketEncryption"));
    assertThat(encryption).contains("SSEAlgorithm=aws:kms").contains("KMSMasterKeyID={Fn::GetAtt=[ResultsKey, Arn]}")
        .contains("BucketKeyEnabled=true");

    Map<String, Map<String, Object>> denies = new java.util.HashMap<>();
    list(Template.map(hub.properties("ResultsBucketPolicy").get("PolicyDocument")).get("Statement")).stream()
        .map(Template::map).filter(s -> "Deny".equals(s.get("Effect")))
        .forEach(s -> denies.put(String.valueOf(s.get("Sid")), s));

    assertThat(String.valueOf(denies.get("OnlyPipelineWritesClaims")))
        .contains("s3:PutObject").contains("/claims/*").contains("ArnNotEquals")
        .contains("ResolveTargetFunctionRole").contains("StoreResultsFunctionRole").doesNotContain("RunQScanner");
    assertThat(String.valueOf(denies.get("OnlyPipelineWritesRecords")))
        .contains("s3:PutObject").contains("/results/*").contains("/latest/*").contains("StoreResultsFunctionRole")
        .doesNotContain("ResolveTarget");
    assertThat(String.valueOf(denies.get("OnlyPipelineWritesReports")))
        .contains("s3:PutObject").contains("/reports/*").contains("RunQScannerFunctionRole");
    assertThat(String.valueOf(denies.get("OnlyPipelineAndReaderReadReports")))
        .contains("s3:GetObject").contains("/reports/*").contains("ReportsReaderRoleArn");
  }

  /** The stack's functions, by logical id. */
  private static List<String> functions(Template hub) {
    return hub.resources().entrySet().stream()
        .filter(e -> "AWS::Serverless::Function".equals(Template.map(e.getValue()).get("Type")))
        .map(Map.Entry::getKey).toList();
  }

  private static String variable(Template hub, String function, String name) {
    return String.valueOf(Template.map(Template.map(hub.properties(function).get("Environment")).get("Variables"))
        .get(name));
  }

  private static Map<String, Object> statement(String where) throws IOException {
    return statements().stream().filter(s -> s.where().equals(where)).findFirst().orElseThrow().body();
  }

  @Test
  void scannerFunctionNames_always_expectationEveryFunctionOfTheStackButTheOnesThatCannotBeListed() {
    Template hub = Template.find(ROOT).orElseThrow();
    List<String> functions = functions(hub);
    assertThat(functions).contains("FleetEnumerateFunction", "FleetCoverageFunction");

    // Resolve Target adds its own name (AWS_LAMBDA_FUNCTION_NAME); Store Results also cannot list Resolve Target,
    // whose environment references it (a cycle).
    for (String function : functions) {
      if (!function.equals("ResolveTargetFunction")) {
        assertThat(variable(hub, "ResolveTargetFunction", "SCANNER_FUNCTION_NAMES")).contains("Ref=" + function + "}");
      }
      if (!List.of("ResolveTargetFunction", "StoreResultsFunction").contains(function)) {
        assertThat(variable(hub, "StoreResultsFunction", "SCANNER_FUNCTION_NAMES")).contains("Ref=" + function + "}");
      }
    }
  }

  @Test
  void quarantine_always_expectationOwnFunctionsDeniedByWhatTheyAreNeverByATagAnyoneCanSet() throws IOException {
    Template hub = Template.find(ROOT).orElseThrow();
    assertThat(statements()).allSatisfy(s -> assertThat(String.valueOf(s.body().get("Condition"))).as(s.where())
        .doesNotContain("qualys-lambda-scanner:component"));

    Map<String, Object> byArn = statement("template.yaml#NeverQuarantineOwnFunctions");
    assertThat(byArn.get("Effect")).isEqualTo("Deny");
    assertThat(list(byArn.get("Action"))).containsExactly("lambda:PutFunctionConcurrency");
    assertThat(byArn).doesNotContainKey("Condition");
    // Run QScanner's is one of two by ScannerPackaging: !If [ScannerIsImage, image function's, zip function's].
    List<Object> arns = list(byArn.get("Resource")).stream().flatMap(r -> Template.map(r).containsKey("Fn::If")
        ? list(Template.map(r).get("Fn::If")).stream().skip(1) : java.util.stream.Stream.of(r)).toList();
    for (String function : functions(hub)) {
      if (!List.of("ResolveTargetFunction", "StoreResultsFunction").contains(function)) {
        assertThat(arns).as(function).contains(Map.of("Fn::GetAtt", List.of(function, "Arn")));
      }
    }

    // Those two (and every other function of the stack) by CloudFormation's own tag: aws: keys are reserved.
    Map<String, Object> byStack = statement("template.yaml#NeverQuarantineThisStacksFunctions");
    assertThat(byStack.get("Effect")).isEqualTo("Deny");
    assertThat(list(byStack.get("Action"))).containsExactly("lambda:PutFunctionConcurrency");
    assertThat(Template.map(byStack.get("Condition")).get("StringEquals"))
        .isEqualTo(Map.of("aws:ResourceTag/aws:cloudformation:stack-id", Map.of("Ref", "AWS::StackId")));
  }
}
