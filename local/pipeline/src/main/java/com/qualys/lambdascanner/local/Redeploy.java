package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A deploy of other code to an event's (Zip) target, published as a new version, and the event CloudTrail would
 * send about it: for a second scan of the same function ({@code make local RESCAN=...}, the findings tests). New
 * code has a new CodeSha256, so the rescan is not a duplicate of the first scan.
 */
public final class Redeploy {

  private Redeploy() {}

  /**
   * Deploys {@code label} as the function's new code and returns the event about it: an EventBridge event names
   * the new version as CloudTrail does; a direct request (unqualified) is returned as it is.
   */
  public static JsonNode of(LocalPipeline pipeline, JsonNode event, String label) {
    TargetSpec spec = TargetSpec.from(event, pipeline.account(), pipeline.region());
    if (spec == null || spec.image()) {
      throw new IllegalArgumentException("a redeploy needs an event about a Zip function");
    }
    boolean own = spec.account().equals(pipeline.account()) && spec.region().equals(pipeline.region());
    LambdaClient lambda = own
        ? pipeline.lambdaControl()
        : LambdaClient.builder().endpointOverride(pipeline.endpoint()).region(Region.of(spec.region()))
            .credentialsProvider(pipeline.credentialsFor(spec.account())).build();
    try {
      String version = lambda.updateFunctionCode(b -> b.functionName(spec.name()).publish(true)
          .zipFile(SdkBytes.fromByteArray(zip("index.py", "# " + label + "\ndef handler(e, c):\n    return e\n"))))
          .version();
      JsonNode response = event.path("detail").path("responseElements");
      if (!response.isObject()) {
        return event;
      }
      ObjectNode copy = event.deepCopy();
      ObjectNode elements = (ObjectNode) copy.path("detail").path("responseElements");
      elements.put("functionArn", "arn:aws:lambda:" + spec.region() + ":" + spec.account() + ":function:"
          + spec.name() + ":" + version);
      elements.put("version", version);
      return copy;
    } finally {
      if (!own) {
        lambda.close();
      }
    }
  }

  private static byte[] zip(String name, String content) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
