package com.qualys.lambdascanner.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.emulator.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployer's few requests {@link EnforcedAws} makes itself (the results bucket, its key, the Qualys secret), by
 * hand as
 * {@link MotoServer#createLambdaRole} does: this test library carries no AWS service module, so a function's tests get
 * only the modules the function uses. Straight to moto, with moto's default key: never evaluated.
 */
final class HarnessRequests {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");

  private HarnessRequests() {}

  /** KMS CreateKey; returns the key's ARN. */
  static String createKey(MotoServer moto, String description) {
    String answer = send(moto, "kms", HttpRequest.newBuilder(moto.endpoint().resolve("/"))
        .header("X-Amz-Target", "TrentService.CreateKey")
        .header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString("{\"Description\":" + quote(description) + "}")));
    try {
      return JSON.readTree(answer).path("KeyMetadata").path("Arn").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Secrets Manager CreateSecret; returns the secret's ARN. */
  static String createSecret(MotoServer moto, String name) {
    return secretsManager(moto, "CreateSecret", "{\"Name\":" + quote(name) + ",\"SecretString\":\"{}\"}")
        .path("ARN").asText();
  }

  /** Secrets Manager PutSecretValue (a new AWSCURRENT version); returns the version id. */
  static String putSecretValue(MotoServer moto, String secretArn, String value) {
    return secretsManager(moto, "PutSecretValue", "{\"SecretId\":" + quote(secretArn) + ",\"SecretString\":"
        + quote(value) + "}").path("VersionId").asText();
  }

  private static com.fasterxml.jackson.databind.JsonNode secretsManager(MotoServer moto, String operation,
      String body) {
    String answer = send(moto, "secretsmanager", HttpRequest.newBuilder(moto.endpoint().resolve("/"))
        .header("X-Amz-Target", "secretsmanager." + operation)
        .header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    try {
      return JSON.readTree(answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bucket whose default encryption is {@code keyArn} (SSE-KMS, bucket key), as template.yaml's ResultsBucket. */
  static void createEncryptedBucket(MotoServer moto, String bucket, String keyArn) {
    send(moto, "s3", HttpRequest.newBuilder(moto.endpoint().resolve("/" + bucket))
        .PUT(HttpRequest.BodyPublishers.noBody()));
    String encryption = "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
        + "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>" + keyArn
        + "</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
        + "</ServerSideEncryptionConfiguration>";
    send(moto, "s3", HttpRequest.newBuilder(moto.endpoint().resolve("/" + bucket + "?encryption"))
        .header("Content-Type", "application/xml")
        .PUT(HttpRequest.BodyPublishers.ofString(encryption)));
  }

  /** Deletes every object of the bucket: each test starts from the stack as deployed. */
  static void emptyBucket(MotoServer moto, String bucket) {
    while (true) {
      String listing = send(moto, "s3", HttpRequest.newBuilder(moto.endpoint().resolve("/" + bucket + "?list-type=2"))
          .GET());
      Matcher key = KEY.matcher(listing);
      if (!key.find()) {
        return;
      }
      do {
        String name = key.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&apos;", "'").replace("&amp;", "&");
        send(moto, "s3", HttpRequest.newBuilder(moto.endpoint().resolve("/" + bucket + "/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/"))).DELETE());
      } while (key.find());
    }
  }

  private static String send(MotoServer moto, String service, HttpRequest.Builder request) {
    return moto.harnessRequest("testing", EnforcedAws.REGION, service, request);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
