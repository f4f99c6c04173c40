package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inline session policy of the credentials qscanner gets: whatever the assumed role may do, the session may only
 * describe and download its one target ({@code lambda:GetFunction} and {@code lambda:GetFunctionConfiguration}, which
 * the code check before and after the scan calls, on exactly that function, any of its versions) and, for an image
 * function, log in to ECR and pull from exactly that function's repository ({@code ecr:BatchGetImage} for the
 * manifest, {@code ecr:GetDownloadUrlForLayer} for each layer: what a pull needs; {@code BatchCheckLayerAvailability}
 * is the push side's check, docs/iam.md). Nothing for layers: qscanner's {@code lambda} command downloads the
 * function's own Zip, and no documented qscanner request reads a layer (docs/qscanner-integration.md). A session policy can
 * only narrow the role (AWS: the session's permissions are the intersection), so a qscanner child that reads its
 * environment, or is exploited by the code it scans, reaches one function and one repository, for the scan's time.
 *
 * <p>KMS only where configured ({@code CODE_KMS_KEY_ARNS}): a Zip package under a customer managed key
 * ({@code SourceKMSKeyArn}) can be downloaded only by principals that may use the key (Lambda's documentation), so
 * the session may {@code kms:Decrypt} with those keys, and only in the encryption context of this very function
 * ({@code kms:EncryptionContext:aws:lambda:FunctionArn}, the context Lambda's documentation shows for package keys;
 * to confirm on AWS, docs/iam.md). Only the keys of the target's own region: Lambda encrypts a package with a key of
 * the function's region, so another region's key can never be the one.
 *
 * <p>AssumeRole takes a session policy of at most {@value #MAX_CHARACTERS} characters of plaintext (the API reference
 * of {@code Policy}; STS also checks a packed size it does not publish, which it refuses with
 * {@code PackedPolicyTooLarge}). A larger policy is refused here, before the call, with a terminal error naming the
 * limit: the policy is never widened (a wildcard) to fit.
 */
final class ScanSessionPolicy {

  /** AssumeRole's limit on an inline session policy, in characters of the JSON as sent. */
  static final int MAX_CHARACTERS = 2048;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code <registry>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:...} or {@code ...:<tag>}. */
  private static final Pattern ECR_IMAGE =
      Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/"
          + "([a-z0-9][a-z0-9._/-]{0,255})(?:@sha256:[0-9a-f]{64}|:[A-Za-z0-9_.-]{1,128})");

  private static final Pattern KMS_KEY =
      Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]{1,128}");

  private ScanSessionPolicy() {}

  /** The policy for a target without configured code keys. */
  static String of(Target target) {
    return of(target, List.of());
  }

  /**
   * The policy document for this (validated) target, as the JSON string AssumeRole's {@code Policy} takes.
   *
   * @param codeKeys the configured KMS keys of function packages (validated ARNs); empty: no KMS statement
   */
  static String of(Target target, List<String> codeKeys) {
    List<Map<String, Object>> statements = new ArrayList<>();
    String function = target.functionArn();
    statements.add(statement("ReadTheTargetOnly", List.of("lambda:GetFunction", "lambda:GetFunctionConfiguration"),
        List.of(function, function + ":*")));
    if (target.packageType() == PackageType.IMAGE && target.imageDigest() != null) {
      Matcher m = ECR_IMAGE.matcher(target.imageDigest());
      if (m.matches()) {
        if (!m.group(2).equals(target.region())) {
          throw new InvalidInputException("target.imageDigest names an ECR registry outside the target's region");
        }
        // GetAuthorizationToken has no resource-level permissions; the token it gives is bounded by this session.
        statements.add(statement("EcrLogin", List.of("ecr:GetAuthorizationToken"), List.of("*")));
        statements.add(statement("PullTheTargetImageOnly",
            List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
            List.of("arn:" + target.partition() + ":ecr:" + m.group(2) + ":" + m.group(1) + ":repository/"
                + m.group(3))));
      }
    }
    List<String> regionKeys = codeKeys(target, codeKeys);
    if (!regionKeys.isEmpty() && target.packageType() == PackageType.ZIP) {
      Map<String, Object> decrypt = statement("DecryptTheTargetCodeOnly", List.of("kms:Decrypt"), regionKeys);
      decrypt.put("Condition", Map.of("StringLike",
          Map.of("kms:EncryptionContext:aws:lambda:FunctionArn", List.of(function, function + ":*"))));
      statements.add(decrypt);
    }
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("Version", "2012-10-17");
    policy.put("Statement", statements);
    String json;
    try {
      json = JSON.writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a policy of strings is always JSON", e);
    }
    if (json.length() > MAX_CHARACTERS) {
      throw new TerminalException("the scanner's session policy for this target is " + json.length()
          + " characters, over AssumeRole's limit of " + MAX_CHARACTERS + " ("
          + (target.packageType() == PackageType.ZIP ? regionKeys.size() : 0) + " code keys of the target's region in"
          + " CODE_KMS_KEY_ARNS): the policy is not widened to fit; list fewer CodeKmsKeyArns for this region");
    }
    return json;
  }

  /**
   * The configured keys this target's package may need: its own key alone when GetFunction named one
   * ({@code SourceKMSKeyArn}) and it is configured, none when it named one that is not (no configured key could
   * decrypt it), else (key not known) every configured key of the target's region.
   */
  private static List<String> codeKeys(Target target, List<String> codeKeys) {
    if (target.codeKmsKeyArn() != null) {
      return codeKeys.contains(target.codeKmsKeyArn()) ? List.of(target.codeKmsKeyArn()) : List.of();
    }
    return codeKeys.stream().filter(key -> key.split(":", 6)[3].equals(target.region())).toList();
  }

  /** {@code CODE_KMS_KEY_ARNS}: comma-separated KMS key ARNs; anything else is a configuration error. */
  static List<String> codeKeys(String value) {
    List<String> keys = new ArrayList<>();
    for (String part : value.split(",")) {
      String key = part.strip();
      if (key.isEmpty()) {
        continue;
      }
      if (!KMS_KEY.matcher(key).matches()) {
        throw new TerminalException("environment variable CODE_KMS_KEY_ARNS must be comma-separated KMS key ARNs");
      }
      keys.add(key);
    }
    return List.copyOf(keys);
  }

  private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    s.put("Action", actions);
    s.put("Resource", resources);
    return s;
  }
}
