package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanSessionPolicyTest {

  private static final String SPOKE = "210987654321";
  private static final String REGION = "eu-west-1";

  private static List<String> all(JsonNode policy, String field) {
    List<String> out = new ArrayList<>();
    policy.path("Statement").forEach(s -> s.path(field).forEach(v -> out.add(v.asText())));
    return out;
  }

  private static JsonNode parse(String policy) throws Exception {
    return new ObjectMapper().readTree(policy);
  }

  @Test
  void of_whenZipTarget_onlyReadsThatFunction() throws Exception {
    Target target = TestSupport.zipTarget(SPOKE, REGION, "orders-api");

    JsonNode policy = parse(ScanSessionPolicy.of(target));

    assertThat(all(policy, "Action")).containsExactly("lambda:GetFunction", "lambda:GetFunctionConfiguration");
    assertThat(all(policy, "Resource")).containsExactly(target.functionArn(), target.functionArn() + ":*");
    assertThat(all(policy, "Resource")).noneMatch(r -> r.contains("*") && !r.equals(target.functionArn() + ":*"));
    // Another function of the same account, even one whose name starts the same, is not covered.
    assertThat(all(policy, "Resource")).doesNotContain(target.functionArn().replace("orders-api", "orders-api-admin"));
  }

  @Test
  void of_whenTargetHasLayers_expectationNoLayerRead() throws Exception {
    Target zip = TestSupport.zipTarget(SPOKE, REGION, "orders-api");
    String layer = "arn:aws:lambda:" + REGION + ":111122223333:layer:shared-libs:4";
    Target target = new Target(zip.partition(), zip.accountId(), zip.region(), zip.functionName(), zip.functionArn(),
        zip.version(), zip.packageType(), zip.runtime(), zip.architectures(), zip.codeSha256(), null, null,
        List.of(new Layer(layer, "sha"), new Layer("arn:aws:lambda:" + REGION + ":1:layer:*", "forged")), zip.state());

    JsonNode policy = parse(ScanSessionPolicy.of(target));

    // qscanner reads no layer (docs/qscanner-integration.md): the child's session may not either.
    assertThat(all(policy, "Action")).containsExactly("lambda:GetFunction", "lambda:GetFunctionConfiguration");
    assertThat(all(policy, "Resource")).noneMatch(r -> r.contains(":layer:"));
  }

  @Test
  void of_whenImageTarget_pullOnlyFromThatRepository() throws Exception {
    String digest = SPOKE + ".dkr.ecr." + REGION + ".amazonaws.com/team/orders@sha256:" + "0f".repeat(32);
    Target target = TestSupport.imageTarget(SPOKE, REGION, "orders-img", digest);

    JsonNode policy = parse(ScanSessionPolicy.of(target));

    assertThat(all(policy, "Action"))
        .containsExactly("lambda:GetFunction", "lambda:GetFunctionConfiguration", "ecr:GetAuthorizationToken",
            "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");
    assertThat(all(policy, "Resource")).contains("arn:aws:ecr:" + REGION + ":" + SPOKE + ":repository/team/orders")
        .noneMatch(r -> r.endsWith("repository/*"));
    assertThat(all(policy, "Action")).noneMatch(a -> a.startsWith("kms:") || a.startsWith("s3:")
        || a.startsWith("sts:") || a.startsWith("secretsmanager:"));
  }

  @Test
  void of_whenCodeKeysConfigured_decryptOnlyThoseKeysAndOnlyForThisFunction() throws Exception {
    Target target = TestSupport.zipTarget(SPOKE, REGION, "orders-api");
    String key = "arn:aws:kms:" + REGION + ":" + SPOKE + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

    JsonNode policy = parse(ScanSessionPolicy.of(target, ScanSessionPolicy.codeKeys(" " + key + ",")));

    JsonNode decrypt = policy.path("Statement").get(1);
    assertThat(decrypt.path("Action").toString()).isEqualTo("[\"kms:Decrypt\"]");
    assertThat(decrypt.path("Resource").toString()).isEqualTo("[\"" + key + "\"]");
    assertThat(decrypt.at("/Condition/StringLike/kms:EncryptionContext:aws:lambda:FunctionArn").toString())
        .isEqualTo("[\"" + target.functionArn() + "\",\"" + target.functionArn() + ":*\"]");
    assertThat(all(parse(ScanSessionPolicy.of(target)), "Action")).noneMatch(a -> a.startsWith("kms:"));
  }

  private static String key(String region, int n) {
    return "arn:aws:kms:" + region + ":" + SPOKE + ":key/" + n + "234abcd-12ab-34cd-56ef-1234567890ab";
  }

  @Test
  void of_whenCodeKeysOfOtherRegions_expectationOnlyTheTargetRegionsKeys() throws Exception {
    Target target = TestSupport.zipTarget(SPOKE, REGION, "orders-api");

    JsonNode policy = parse(ScanSessionPolicy.of(target, List.of(key("us-east-1", 1), key(REGION, 2),
        key("ap-southeast-2", 3))));

    assertThat(all(policy, "Resource")).contains(key(REGION, 2)).noneMatch(r -> r.contains(":kms:us-east-1:")
        || r.contains(":kms:ap-southeast-2:"));
    assertThat(all(parse(ScanSessionPolicy.of(target, List.of(key("us-east-1", 1)))), "Action"))
        .as("no key of the region: no KMS statement").noneMatch(a -> a.startsWith("kms:"));
  }

  private static Target withCodeKey(Target zip, String key) {
    return new Target(zip.partition(), zip.accountId(), zip.region(), zip.functionName(), zip.functionArn(),
        zip.version(), zip.packageType(), zip.runtime(), zip.architectures(), zip.codeSha256(), null, null,
        zip.layers(), zip.state(), key);
  }

  @Test
  void of_whenTargetsOwnKeyKnownAndConfigured_expectationOnlyThatKey() throws Exception {
    Target target = withCodeKey(TestSupport.zipTarget(SPOKE, REGION, "orders-api"), key(REGION, 2));
    List<String> configured = List.of(key(REGION, 1), key(REGION, 2), key(REGION, 3));

    assertThat(all(parse(ScanSessionPolicy.of(target, configured)), "Resource")).contains(key(REGION, 2))
        .doesNotContain(key(REGION, 1), key(REGION, 3));
    // Its key not among the configured ones: none of them could decrypt it, so none is granted.
    Target other = withCodeKey(target, key(REGION, 9));
    assertThat(all(parse(ScanSessionPolicy.of(other, configured)), "Action")).noneMatch(a -> a.startsWith("kms:"));
  }

  @Test
  void of_whenPolicyOverAssumeRolesLimit_expectationTerminalErrorNamingTheLimitNeverAWiderPolicy() {
    Target target = TestSupport.zipTarget(SPOKE, REGION, "f".repeat(64));
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      keys.add(key(REGION, i));
    }

    assertThatThrownBy(() -> ScanSessionPolicy.of(target, keys))
        .isInstanceOf(com.qualys.lambdascanner.common.error.TerminalException.class)
        .hasMessageContaining("over AssumeRole's limit of 2048").hasMessageContaining("30 code keys");
    // With fewer keys it fits: the check refuses what is over the limit, nothing else.
    assertThat(ScanSessionPolicy.of(target, keys.subList(0, 3)).length()).isLessThanOrEqualTo(2048);
  }

  @Test
  void codeKeys_whenNotKmsKeyArns_terminal() {
    assertThatThrownBy(() -> ScanSessionPolicy.codeKeys("arn:aws:kms:eu-west-1:210987654321:alias/code"))
        .isInstanceOf(com.qualys.lambdascanner.common.error.TerminalException.class);
  }

  @Test
  void of_whenImageInAnotherRegion_invalidInput() {
    String digest = SPOKE + ".dkr.ecr.us-east-1.amazonaws.com/orders@sha256:" + "0f".repeat(32);
    Target target = TestSupport.imageTarget(SPOKE, REGION, "orders-img", digest);

    assertThatThrownBy(() -> ScanSessionPolicy.of(target)).isInstanceOf(InvalidInputException.class);
  }
}
