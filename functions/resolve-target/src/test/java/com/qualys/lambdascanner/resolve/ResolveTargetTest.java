package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Decision.Action;
import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.testing.CapturingLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolveTargetTest {

  private final FakeDescriber lambda = new FakeDescriber();
  private final InMemoryClaimStore claims = new InMemoryClaimStore();
  private final FakeExposureReader exposure = new FakeExposureReader();
  private final CapturingLogger logger = new CapturingLogger();
  private final JsonCodec json = new JsonCodec();
  private Config config = new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1");

  private ResolveTarget sut() {
    return new ResolveTarget(
        config,
        lambda,
        exposure,
        claims,
        new StructuredLog(json, logger),
        Clock.fixed(Instant.parse("2026-11-20T10:16:00Z"), ZoneOffset.UTC));
  }

  @Test
  void resolve_whenCreateFunctionEvent_scansLatestAndClaims() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().functionArn()).isEqualTo(Samples.ORDERS_API);
    assertThat(resolved.target().partition()).isEqualTo("aws");
    assertThat(resolved.target().accountId()).isEqualTo(Samples.ACCOUNT);
    assertThat(resolved.target().region()).isEqualTo(Samples.REGION);
    assertThat(resolved.target().version()).isEqualTo("$LATEST");
    assertThat(resolved.target().packageType()).isEqualTo(PackageType.ZIP);
    assertThat(resolved.target().runtime()).isEqualTo("java21");
    assertThat(resolved.target().codeSha256()).isEqualTo(Functions.SHA_V1);
    assertThat(resolved.target().layers()).containsExactly(new Layer(Samples.SHARED_LIBS_3, "layer-sha-3"));
    assertThat(resolved.target().state()).isEqualTo("Pending");
    assertThat(resolved.trigger().eventName()).isEqualTo("CreateFunction20150331");
    assertThat(resolved.trigger().principal()).isEqualTo("arn:aws:sts::123456789012:assumed-role/deployer/ci-deploy");
    assertThat(resolved.trigger().source()).isEqualTo("aws.lambda");
    assertThat(resolved.dedupKey())
        .isEqualTo("v1|aws|123456789012|us-east-1|orders-api|" + Functions.SHA_V1 + "|" + Samples.SHARED_LIBS_3 + "|-");
    assertThat(claims.claims()).containsKey(resolved.dedupKey());
    assertThat(lambda.calls())
        .containsExactly(new FunctionRef("aws", Samples.ACCOUNT, Samples.REGION, "orders-api", null));
  }

  @Test
  void resolve_whenCodePublishedAsVersion_describesThatVersion() {
    lambda.with(
        Samples.ORDERS_API + ":7",
        Functions.ordersApi(Functions.SHA_V2, "7", List.of(Samples.SHARED_LIBS_3), Map.of()));

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/update-function-code.json"));

    assertThat(lambda.calls()).extracting(FunctionRef::qualifier).containsExactly("7");
    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().version()).isEqualTo("7");
    assertThat(resolved.target().functionArn()).isEqualTo(Samples.ORDERS_API);
    assertThat(resolved.target().qualifiedArn()).isEqualTo(Samples.ORDERS_API + ":7");
    assertThat(resolved.target().codeSha256()).isEqualTo(Functions.SHA_V2);
  }

  @Test
  void resolve_whenVersionPublishedOfCodeAlreadyClaimed_isDuplicate() {
    lambda
        .with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V2, "$LATEST", List.of(Samples.SHARED_LIBS_3), Map.of()))
        .with(Samples.ORDERS_API + ":7", Functions.ordersApi(Functions.SHA_V2, "7", List.of(Samples.SHARED_LIBS_3), Map.of()));
    ResolvedScan first = sut().resolve(Samples.event("direct/scan-function.json"));

    ResolvedScan published = sut().resolve(Samples.event("eventbridge/update-function-code.json"));

    assertThat(first.decision().action()).isEqualTo(Action.SCAN);
    assertThat(published.dedupKey()).isEqualTo(first.dedupKey());
    assertThat(published.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
  }

  @Test
  void resolve_whenCallFailed_skipsWithoutDescribing() {
    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/failed-call.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SKIP);
    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.FAILED_CALL);
    assertThat(resolved.decision().detail()).contains("AccessDenied");
    assertThat(resolved.target().functionArn()).isEqualTo(Samples.ORDERS_API);
    assertThat(resolved.dedupKey()).isNull();
    assertThat(lambda.calls()).isEmpty();
    assertThat(claims.attempts).isZero();
  }

  @Test
  void resolve_whenFunctionDeleted_skipsNotFound() {
    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.NOT_FOUND);
    assertThat(resolved.target().functionName()).isEqualTo("orders-api");
    assertThat(resolved.target().codeSha256()).isNull();
    assertThat(claims.attempts).isZero();
  }

  /** This stack's functions: orders-api stands for one of them, in the samples' account and region. */
  private static Config scannerConfig(boolean honour, Set<String> optOutAccounts) {
    return new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", null, null,
        new ExclusionPolicy("123456789012", "us-east-1", Set.of("orders-api"), honour, optOutAccounts));
  }

  @Test
  void resolve_whenScannerOwnFunction_skipsSelfEvenWhenForced() {
    config = scannerConfig(true, Set.of());
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ObjectNode request = Samples.event("direct/scan-function.json");
    request.put("force", true);

    ResolvedScan resolved = sut().resolve(request);

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.SELF);
    assertThat(claims.attempts).isZero();
  }

  @Test
  void resolve_whenAnyFunctionCarriesTheScannerTag_scansIt() {
    // Issue 12: the tag is no identity; anyone can set it on their function to evade scans.
    lambda.with(
        Samples.ORDERS_API,
        Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("qualys-lambda-scanner:component", "resolve-target")));

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().action())
        .isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenOptOutTagsNotHonoured_scansATaggedFunction() {
    config = new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", null, null,
        new ExclusionPolicy("123456789012", "us-east-1", Set.of(), false, Set.of()));
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("QualysScan", "false")));

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().action())
        .isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenOptOutHonouredInOtherAccountsOnly_scansATaggedFunctionHere() {
    config = new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", null, null,
        new ExclusionPolicy("123456789012", "us-east-1", Set.of(), true, Set.of("210987654321")));
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("QualysScan", "false")));

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().action())
        .isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenExcludeTagIsFalse_skipsExcludedByTag() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("QualysScan", "False")));

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.EXCLUDED_BY_TAG);
    assertThat(resolved.decision().detail()).contains("QualysScan=false");
    assertThat(claims.attempts).isZero();
  }

  @Test
  void resolve_whenExcludeTagIsTrue_scans() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("QualysScan", "true")));

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().action())
        .isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenConfiguredTagKeyIsFalse_skipsExcludedByTag() {
    config = new Config("results", "security:scan", null, Duration.ofHours(1), "us-east-1");
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V1, "$LATEST", List.of(), Map.of("security:scan", "false")));

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().reason())
        .isEqualTo(SkipReason.EXCLUDED_BY_TAG);
  }

  @Test
  void resolve_whenNameMatchesExcludePattern_skipsExcludedByName() {
    config = new Config("results", "QualysScan", Pattern.compile("^orders-"), Duration.ofHours(1), "us-east-1");
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.EXCLUDED_BY_NAME);
    assertThat(claims.attempts).isZero();
  }

  @Test
  void resolve_whenNameDoesNotMatchExcludePattern_scans() {
    config = new Config("results", "QualysScan", Pattern.compile("^test-"), Duration.ofHours(1), "us-east-1");
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    assertThat(sut().resolve(Samples.event("eventbridge/create-function.json")).decision().action())
        .isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenSameCodeBeingScanned_skipsDuplicateNamingTheHolder() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ResolvedScan first = sut().resolve(Samples.event("resolve-target/wrapped-create-function.json"));

    ResolvedScan second = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(second.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(second.decision().detail()).contains("being scanned").contains(first.scanId());
    assertThat(second.dedupKey()).isEqualTo(first.dedupKey());
  }

  @Test
  void resolve_whenSameCodeCompleted_skipsDuplicateAsAlreadyScanned() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ResolvedScan first = sut().resolve(Samples.event("eventbridge/create-function.json"));
    claims.complete(first.dedupKey());

    ResolvedScan second = sut().resolve(Samples.event("eventbridge/create-function.json"));

    assertThat(second.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(second.decision().detail()).contains("already scanned");
  }

  @Test
  void resolve_whenForced_scansDespiteClaim() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    sut().resolve(Samples.event("direct/scan-function.json"));
    ObjectNode forced = Samples.event("direct/scan-function.json");
    forced.put("force", true);

    ResolvedScan resolved = sut().resolve(forced);

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(claims.claims().get(resolved.dedupKey()).scanId()).isEqualTo(resolved.scanId());
  }

  @Test
  void resolve_whenSameExecutionRetried_keepsItsOwnClaim() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    sut().resolve(Samples.event("resolve-target/wrapped-create-function.json"));

    ResolvedScan retried = sut().resolve(Samples.event("resolve-target/wrapped-create-function.json"));

    assertThat(retried.decision().action()).isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenOnlyLayersChange_scansAgainWithAnotherKey() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V2, "$LATEST", List.of(Samples.SHARED_LIBS_3), Map.of()));
    ResolvedScan before = sut().resolve(Samples.event("eventbridge/create-function.json"));
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V2, "$LATEST", List.of(Samples.SHARED_LIBS_4), Map.of()));

    ResolvedScan after = sut().resolve(Samples.event("eventbridge/update-function-configuration.json"));

    assertThat(after.decision().action()).isEqualTo(Action.SCAN);
    assertThat(after.dedupKey()).isNotEqualTo(before.dedupKey()).contains(Samples.SHARED_LIBS_4);
  }

  @Test
  void resolve_whenOnlyEnvironmentChanges_isDuplicate() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi(Functions.SHA_V2, "$LATEST", List.of(Samples.SHARED_LIBS_4), Map.of()));
    ResolvedScan layers = sut().resolve(Samples.event("eventbridge/update-function-configuration.json"));
    claims.complete(layers.dedupKey());

    ResolvedScan env = sut().resolve(Samples.event("eventbridge/update-function-configuration-env-only.json"));

    assertThat(env.decision().reason()).isEqualTo(SkipReason.DUPLICATE);
    assertThat(env.dedupKey()).isEqualTo(layers.dedupKey());
  }

  @Test
  void resolve_whenImageFunction_keepsUriAndDigestInTargetAndKey() {
    lambda.with(Samples.ORDERS_IMAGE, Functions.ordersImage());

    ResolvedScan resolved = sut().resolve(Samples.event("eventbridge/create-function-image.json"));

    assertThat(resolved.decision().action()).isEqualTo(Action.SCAN);
    assertThat(resolved.target().packageType()).isEqualTo(PackageType.IMAGE);
    assertThat(resolved.target().imageUri()).isEqualTo(Functions.IMAGE_URI);
    assertThat(resolved.target().imageDigest()).isEqualTo(Functions.IMAGE_DIGEST);
    assertThat(resolved.target().runtime()).isNull();
    assertThat(resolved.dedupKey()).endsWith("|-|" + Functions.IMAGE_DIGEST);
  }

  @Test
  void resolve_whenWrapped_usesExecutionNameAsScanId() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("resolve-target/wrapped-direct.json"));

    assertThat(resolved.scanId()).isEqualTo("7c4d2f6e-8b9a-4d1c-94c5-3a4b5c6d7e08");
    assertThat(resolved.trigger().source()).isEqualTo("direct");
    assertThat(resolved.trigger().reason()).isEqualTo("manual");
  }

  @Test
  void resolve_whenWrapped_describesOnBehalfOfTheScan() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("resolve-target/wrapped-direct.json"));

    // The scan id names the spoke session a cross-account describe opens.
    assertThat(lambda.scanIds()).containsExactly(resolved.scanId());
  }

  @Test
  void resolve_whenBare_usesRandomUuidAsScanId() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan a = sut().resolve(Samples.event("direct/scan-function.json"));
    ResolvedScan b = sut().resolve(Samples.event("eventbridge/failed-call.json"));

    assertThat(UUID.fromString(a.scanId()).toString()).isEqualTo(a.scanId());
    assertThat(b.scanId()).isNotEqualTo(a.scanId());
  }

  @Test
  void resolve_whenDirectNameWithoutRegion_usesTheDefaultRegion() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.tree("{\"functionName\": \"orders-api\"}"));

    assertThat(lambda.calls()).containsExactly(new FunctionRef("aws", null, "us-east-1", "orders-api", null));
    assertThat(resolved.target().accountId()).isEqualTo(Samples.ACCOUNT);
  }

  @Test
  void resolve_whenDirectNameWithAccountAndRegion_describesByArn() {
    sut().resolve(Samples.tree("{\"functionName\": \"orders-api\", \"region\": \"eu-west-1\", \"accountId\": \"210987654321\"}"));

    assertThat(lambda.calls().getFirst().unqualifiedArn())
        .isEqualTo("arn:aws:lambda:eu-west-1:210987654321:function:orders-api");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders-api",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders-api"
      })
  void resolve_whenDirectArnInOtherPartition_keepsItsPartition(String arn) {
    ResolvedScan resolved = sut().resolve(Samples.tree("{\"functionArn\": \"" + arn + "\"}"));

    assertThat(resolved.decision().reason()).isEqualTo(SkipReason.NOT_FOUND);
    assertThat(resolved.target().functionArn()).isEqualTo(arn);
    assertThat(lambda.calls().getFirst().partition()).isEqualTo(arn.split(":")[1]);
  }

  @Test
  void resolve_whenDirectArnHasAlias_describesTheAliasAndKeepsTheVersion() {
    lambda.with(
        Samples.ORDERS_API + ":live", Functions.ordersApi(Functions.SHA_V2, "7", List.of(), Map.of()));

    ResolvedScan resolved = sut().resolve(Samples.tree("{\"functionArn\": \"" + Samples.ORDERS_API + ":live\"}"));

    assertThat(resolved.target().version()).isEqualTo("7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CreateFunction",
        "CreateFunction20150331",
        "UpdateFunctionCode20150331v2",
        "UpdateFunctionConfiguration20150331v2",
        "UpdateFunctionConfiguration20150331"
      })
  void resolve_whenAnyVersionOfScannedCall_scans(String eventName) {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ObjectNode event = Samples.event("eventbridge/create-function.json");
    ((ObjectNode) event.get("detail")).put("eventName", eventName);

    assertThat(sut().resolve(event).decision().action()).isEqualTo(Action.SCAN);
  }

  @Test
  void resolve_whenFunctionNameIsPartialArn_usesIt() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());
    ObjectNode event = Samples.event("eventbridge/update-function-configuration.json");
    ObjectNode detail = (ObjectNode) event.get("detail");
    detail.putNull("responseElements");
    ((ObjectNode) detail.get("requestParameters")).put("functionName", "123456789012:function:orders-api");

    assertThat(sut().resolve(event).target().functionArn()).isEqualTo(Samples.ORDERS_API);
  }

  @Test
  void resolve_whenEventArnNamesAnotherAccount_refusesWithoutDescribing() {
    ObjectNode event = Samples.event("eventbridge/create-function.json");
    ((ObjectNode) event.get("detail").get("responseElements"))
        .put("functionArn", "arn:aws:lambda:us-east-1:210987654321:function:orders-api");

    assertThatThrownBy(() -> sut().resolve(event))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("another account");
    assertThat(lambda.calls()).isEmpty();
  }

  @Test
  void resolve_whenLambdaThrottles_propagatesRetryable() {
    lambda.failingWith(new RetryableException("throttled"));

    assertThatThrownBy(() -> sut().resolve(Samples.event("eventbridge/create-function.json")))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void resolve_whenLambdaDescribesAnotherFunction_isTerminal() {
    lambda.with(Samples.ORDERS_API, Functions.ordersImage());

    assertThatThrownBy(() -> sut().resolve(Samples.event("eventbridge/create-function.json")))
        .isInstanceOf(TerminalException.class);
    assertThat(claims.attempts).isZero();
  }

  @Test
  void resolve_always_logsOneLineWithScanIdAndDecision() {
    lambda.with(Samples.ORDERS_API, Functions.ordersApi());

    ResolvedScan resolved = sut().resolve(Samples.event("resolve-target/wrapped-create-function.json"));

    assertThat(logger.lines()).hasSize(1);
    assertThat(logger.lines().getFirst())
        .contains("\"scanId\":\"" + resolved.scanId() + "\"")
        .contains("\"action\":\"SCAN\"")
        .contains(Samples.ORDERS_API);
  }
}
