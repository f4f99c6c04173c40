package com.qualys.lambdascanner.fleet.enumerate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.fleet.FleetInventory;
import com.qualys.lambdascanner.common.fleet.InventoryRef;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeSettings;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Enumeration against moto's S3 and Organizations as its own role (the stack's IAM enforced, hub mode) with a fake
 * lister: what the inventory and the manifest hold for each scope.
 */
class EnumerateFleetIT {

  private static final String OWN = "123456789012";
  private static final String SPOKE = "210987654321";
  private static final String DENIED = "310987654321";

  /** Hub mode listing the spoke and the Organization's accounts, as the fleet tests here need it. */
  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .hub("spoke", "ext-1", SPOKE, DENIED)
      .parameter("FleetAccountsFromOrganization", "true")
      .build();

  /** The deployer's: reads back what enumeration wrote. */
  private static S3Client s3;
  /** Fleet Enumerate's own: a session of its role. */
  private static S3Client enumerateS3;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();
  private final List<String> listed = java.util.Collections.synchronizedList(new ArrayList<>());
  private String bucket;

  @BeforeAll
  static void clients() {
    s3 = AWS.harness(S3Client.builder());
    enumerateS3 = AWS.client(S3Client.builder(), "FleetEnumerateFunctionRole");
  }


  @BeforeEach
  void bucket() {
    bucket = AWS.bucket();
  }

  private static FunctionConfiguration function(String account, String region, String name, String... layers) {
    return FunctionConfiguration.builder()
        .functionArn("arn:aws:lambda:" + region + ":" + account + ":function:" + name)
        .functionName(name).packageType("Zip").runtime("java21").codeSha256("c2hh")
        .layers(java.util.Arrays.stream(layers).map(l -> Layer.builder().arn(l).build()).toList()).build();
  }

  /** The own account and the spoke list their functions; the denied account's role refuses; one spoke lies. */
  private EnumerateFleet sut(List<String> accounts, List<String> regions) {
    FunctionLister lister = (account, region, runId) -> {
      listed.add(account + "/" + region);
      return switch (account) {
        case OWN -> region.equals("us-east-1")
            ? List.of(function(OWN, region, "orders-api", "arn:aws:lambda:us-east-1:123456789012:layer:libs:3"),
                function(OWN, region, "orders-worker"))
            : List.of(function(OWN, region, "billing"));
        case SPOKE -> List.of(function(SPOKE, region, "payments"),
            // A spoke that answers with another account's function (or a version) does not get it into the fleet.
            function(OWN, region, "not-yours"),
            FunctionConfiguration.builder().functionArn("arn:aws:lambda:" + region + ":" + SPOKE
                + ":function:payments:7").build());
        case DENIED -> throw new TerminalException("cannot assume the spoke role arn:aws:iam::" + DENIED
            + ":role/spoke in account " + DENIED + " (AccessDenied): ...");
        default -> throw new RetryableException("lambda:ListFunctions ... failed (TooManyRequestsException, HTTP 429)");
      };
    };
    return sut(lister, accounts, regions, false, null);
  }

  private EnumerateFleet sut(
      FunctionLister lister, List<String> accounts, List<String> regions, boolean fromOrganization,
      OrganizationAccounts organization) {
    FleetConfig config =
        new FleetConfig(bucket, accounts, regions, "us-east-1", new SpokeSettings("spoke", "ext-1"), fromOrganization);
    SpokeAccess spokes = new SpokeAccess(config.spoke(), "us-east-1", null, () -> OWN);
    return new EnumerateFleet(config, spokes, lister, organization, enumerateS3, json, new StructuredLog(json, logger),
        Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
  }

  /** Organizations as Fleet Enumerate's role, through the enforcing endpoint. */
  private OrganizationAccounts organization() {
    return new OrganizationAccounts(UrlConnectionHttpClient.create(), AWS.credentials("FleetEnumerateFunctionRole"),
        AWS.endpointUri(), "us-east-1", json);
  }

  /** Organizations straight to moto with these credentials (the deployer's set-up; the account is the key's). */
  private OrganizationAccounts harnessOrganization(AwsCredentialsProvider credentials) {
    return new OrganizationAccounts(UrlConnectionHttpClient.create(), credentials, AWS.moto().endpoint(), "us-east-1",
        json);
  }

  /** Every scope lists one function of its own: what the Organization contributes shows as functions. */
  private FunctionLister onePerAccount() {
    return (account, region, runId) -> {
      listed.add(account + "/" + region);
      return List.of(function(account, region, "fn-" + account));
    };
  }

  /**
   * OWN is the management account of moto's Organization (created once per moto server) with {@code members}
   * accounts, the last of them closed; returns the ACTIVE members.
   */
  private static synchronized List<String> organizationWithMembers(OrganizationAccounts management, int members) {
    if (organizationMembers == null) {
      management.invoke("CreateOrganization", Map.of("FeatureSet", "ALL"));
      List<String> created = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        JsonNode status = management.invoke("CreateAccount",
            Map.of("AccountName", "member-" + i, "Email", "member-" + i + "@example.com"));
        created.add(status.at("/CreateAccountStatus/AccountId").asText());
      }
      management.invoke("CloseAccount", Map.of("AccountId", created.getLast()));
      organizationMembers = List.copyOf(created.subList(0, created.size() - 1));
    }
    return organizationMembers;
  }

  private static List<String> organizationMembers;

  @Test
  void enumerate_whenAccountsFromOrganization_listsEveryActiveAccountOverAllPagesBesidesTheList() throws IOException {
    OrganizationAccounts management = harnessOrganization(
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    // More than two pages of ListAccounts (20 a page) of members, plus the management account itself.
    List<String> members = organizationWithMembers(management, 2 * OrganizationAccounts.PAGE + 6);

    InventoryRef ref = sut(onePerAccount(), List.of(SPOKE), List.of("us-east-1"), true, organization())
        .enumerate(json.mapper().readTree("{\"runId\": \"run-org\"}"));

    FleetInventory inventory = json.mapper().treeToValue(object(ref.inventoryKey()), FleetInventory.class);
    List<String> expected = new ArrayList<>(List.of(OWN, SPOKE));
    expected.addAll(members);
    assertThat(inventory.scopes()).extracting(s -> s.accountId()).containsExactlyElementsOf(expected);
    assertThat(inventory.functions()).extracting(f -> f.functionName())
        .containsExactlyElementsOf(expected.stream().map(a -> "fn-" + a).toList());
    assertThat(inventory.organizationError()).isNull();
    assertThat(String.join("\n", logger.lines())).contains("organization listed").contains("\"activeAccounts\":"
        + (members.size() + 1));
  }

  @Test
  void enumerate_whenListAccountsRefused_enumeratesTheListAndRecordsTheTypedError() throws IOException {
    OrganizationAccounts management = harnessOrganization(
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    String member = organizationWithMembers(management, 2 * OrganizationAccounts.PAGE + 6).getFirst();
    // A stack deployed in a member account that is neither the management account nor a delegated administrator:
    // IAM allows ListAccounts, Organizations refuses it (moto, the member's key straight to moto).
    AwsSessionCredentials memberCredentials;
    try (StsClient sts = AWS.harness(StsClient.builder())) {
      var assumed = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + member + ":role/hub").roleSessionName("it"))
          .credentials();
      memberCredentials = AwsSessionCredentials.create(
          assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken());
    }

    InventoryRef ref = sut(onePerAccount(), List.of(SPOKE), List.of("us-east-1"), true,
        harnessOrganization(StaticCredentialsProvider.create(memberCredentials)))
        .enumerate(json.mapper().readTree("{\"runId\": \"run-org-denied\"}"));

    FleetInventory inventory = json.mapper().treeToValue(object(ref.inventoryKey()), FleetInventory.class);
    assertThat(inventory.scopes()).extracting(s -> s.accountId()).containsExactly(OWN, SPOKE);
    assertThat(inventory.organizationError())
        .startsWith("TerminalException: organizations:ListAccounts failed (AccessDeniedException, HTTP 400)")
        .contains("management account or a delegated administrator");
    assertThat(String.join("\n", logger.lines())).contains("organization not listed");
  }

  private JsonNode object(String key) throws IOException {
    return json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
  }

  @Test
  void enumerate_whenAccountsAndRegions_listsEveryScopeAndWritesManifestAndInventory() throws IOException {
    InventoryRef ref = sut(List.of(SPOKE, DENIED), List.of("us-east-1", "eu-west-1"))
        .enumerate(json.mapper().readTree("{\"runId\": \"run-1\"}"));

    assertThat(listed).containsExactlyInAnyOrder(OWN + "/us-east-1", OWN + "/eu-west-1", SPOKE + "/us-east-1",
        SPOKE + "/eu-west-1", DENIED + "/us-east-1", DENIED + "/eu-west-1");
    assertThat(ref).isEqualTo(new InventoryRef("run-1", bucket, "fleet/runs/run-1/manifest.json",
        "fleet/runs/run-1/inventory.json", 5, 6, 2));
    JsonNode manifest = object(ref.manifestKey());
    assertThat(manifest).hasSize(5);
    assertThat(manifest.get(0)).isEqualTo(json.mapper().readTree(
        "{\"functionArn\": \"arn:aws:lambda:us-east-1:123456789012:function:orders-api\"}"));
    FleetInventory inventory = json.mapper().treeToValue(object(ref.inventoryKey()), FleetInventory.class);
    assertThat(inventory.functions()).extracting(f -> f.accountId() + "/" + f.functionName())
        .containsExactly(OWN + "/orders-api", OWN + "/orders-worker", OWN + "/billing", SPOKE + "/payments",
            SPOKE + "/payments");
    assertThat(inventory.functions().getFirst().layers())
        .containsExactly("arn:aws:lambda:us-east-1:123456789012:layer:libs:3");
    assertThat(inventory.scopes()).filteredOn(s -> !s.reachable()).hasSize(2).allSatisfy(s -> {
      assertThat(s.accountId()).isEqualTo(DENIED);
      assertThat(s.error()).startsWith("TerminalException: cannot assume").contains("AccessDenied");
    });
    assertThat(String.join("\n", logger.lines())).contains("fleet entry rejected").contains("fleet scope unreachable");
  }

  @Test
  void enumerate_whenListingThrottledAfterTheSdkRetries_marksThatScopeUnreachableAndGoesOn() throws IOException {
    InventoryRef ref = sut(List.of("999999999999"), List.of("us-east-1"))
        .enumerate(json.mapper().readTree("{\"runId\": \"run-2\"}"));

    FleetInventory inventory = json.mapper().treeToValue(object(ref.inventoryKey()), FleetInventory.class);
    assertThat(inventory.functions()).hasSize(2);
    assertThat(inventory.scopes().get(1).error()).startsWith("RetryableException").contains("TooManyRequests");
  }

  @Test
  void lister_whenSingleAccountModeAndAnotherRegion_refusesWithTheReasonBeforeAnyCall() {
    SpokeAccess single = new SpokeAccess(SpokeSettings.SINGLE_ACCOUNT, "us-east-1", null, () -> OWN);
    LambdaFunctionLister lister = new LambdaFunctionLister(single, UrlConnectionHttpClient.create());

    assertThatThrownBy(() -> lister.list(OWN, "eu-west-1", "run-5")).isInstanceOf(TerminalException.class)
        .hasMessageContaining("single-account mode");
    assertThatThrownBy(() -> lister.list(SPOKE, "us-east-1", "run-5")).isInstanceOf(TerminalException.class)
        .hasMessageContaining("single-account mode");
  }

  @Test
  void enumerate_whenRunIdMissingOrUnsafe_isInvalidInputAndWritesNothing() {
    for (String request : List.of("{}", "{\"runId\": \"../claims/x\"}", "{\"runId\": 5}", "[]")) {
      assertThatThrownBy(() -> sut(List.of(), List.of("us-east-1")).enumerate(json.mapper().readTree(request)))
          .as(request).isInstanceOf(InvalidInputException.class);
    }
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
  }

  @Test
  void config_whenEntriesMalformed_isTerminalNamingTheVariable() {
    for (Map<String, String> env : List.of(
        Map.of("RESULTS_BUCKET", "b", "AWS_REGION", "us-east-1", "FLEET_ACCOUNTS", "12345"),
        Map.of("RESULTS_BUCKET", "b", "AWS_REGION", "us-east-1", "FLEET_REGIONS", "us-east-1,Mars"))) {
      assertThatThrownBy(() -> FleetConfig.from(com.qualys.lambdascanner.common.config.Env.of(env)))
          .isInstanceOf(TerminalException.class).hasMessageContaining("FLEET_");
    }
    FleetConfig config = FleetConfig.from(com.qualys.lambdascanner.common.config.Env.of(
        Map.of("RESULTS_BUCKET", "b", "AWS_REGION", "eu-west-1", "FLEET_ACCOUNTS", " 210987654321 ,210987654321")));
    assertThat(config.accounts()).containsExactly("210987654321");
    assertThat(config.accountsFromOrganization()).as("opt-in").isFalse();
    assertThat(config.regions()).containsExactly("eu-west-1");
  }
}
