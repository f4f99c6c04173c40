package com.qualys.lambdascanner.fleet.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.fleet.FleetInventory;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The fleet run's objects in the results bucket: the inventory, the Distributed Map's ResultWriter output (its
 * manifest names the result files), the functions' latest records, the coverage files. Of the keys the state hands
 * in, only those under ResultWriter's prefix are read.
 */
final class FleetObjects {

  private final S3Client s3;
  private final String bucket;
  private final JsonCodec json;

  FleetObjects(S3Client s3, String bucket, JsonCodec json) {
    this.s3 = s3;
    this.bucket = bucket;
    this.json = json;
  }

  FleetInventory inventory(String runId) {
    String key = FleetInventory.inventoryKey(runId);
    JsonNode node = read(key).orElseThrow(() -> new TerminalException("the fleet inventory " + key + " is missing"));
    try {
      return json.mapper().treeToValue(node, FleetInventory.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new TerminalException("the fleet inventory " + key + " is not readable", e);
    }
  }

  /**
   * Every map item's output, by function ARN: the SUCCEEDED files' {@code Output} (a JSON string), and for the
   * FAILED files an item built from {@code Input} with the item's {@code Error} and {@code Cause}.
   *
   * @param writer the map's output: {@code {"ResultWriterDetails": {"Bucket", "Key"}}}
   */
  Map<String, JsonNode> mapResults(JsonNode writer) {
    JsonNode details = writer.path("ResultWriterDetails");
    String writerBucket = details.path("Bucket").asText("");
    String manifestKey = details.path("Key").asText("");
    if (!writerBucket.equals(bucket) || !resultKey(manifestKey)) {
      throw new InvalidInputException("the map's ResultWriterDetails name an object outside " + RESULTS_PREFIX);
    }
    JsonNode manifest = read(manifestKey)
        .orElseThrow(() -> new TerminalException("the map's result manifest " + manifestKey + " is missing"));
    Map<String, JsonNode> items = new HashMap<>();
    for (String kind : new String[] {"SUCCEEDED", "FAILED"}) {
      for (JsonNode file : manifest.path("ResultFiles").path(kind)) {
        String key = file.path("Key").asText("");
        if (!resultKey(key)) {
          throw new InvalidInputException("the map's result manifest names a file outside " + RESULTS_PREFIX);
        }
        for (JsonNode result : read(key).orElse(json.mapper().createArrayNode())) {
          JsonNode item = kind.equals("SUCCEEDED") ? parse(result.path("Output")) : failedItem(result);
          if (item != null && item.path("functionArn").isTextual()) {
            items.put(item.path("functionArn").asText(), item);
          }
        }
      }
    }
    return items;
  }

  private JsonNode failedItem(JsonNode result) {
    JsonNode input = parse(result.path("Input"));
    if (input == null || !input.isObject()) {
      return null;
    }
    var item = json.mapper().createObjectNode();
    item.set("functionArn", input.path("functionArn"));
    var error = item.putObject("error");
    error.put("Error", result.path("Error").asText("States.ItemFailed"));
    error.put("Cause", result.path("Cause").asText(""));
    return item;
  }

  private JsonNode parse(JsonNode text) {
    if (!text.isTextual()) {
      return null;
    }
    try {
      return json.mapper().readTree(text.asText());
    } catch (IOException e) {
      return null;
    }
  }

  /** ResultWriter's prefix (the ASL's): it adds {@code <map run id>/} to every key it writes. */
  static final String RESULTS_PREFIX = "fleet/results/";

  private static boolean resultKey(String key) {
    return key.startsWith(RESULTS_PREFIX) && !key.contains("..");
  }

  /** The object as JSON; empty when it does not exist or is not JSON (a hostile or broken record). */
  Optional<JsonNode> read(String key) {
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("s3:GetObject", key, e);
    } catch (SdkException e) {
      throw new RetryableException("s3:GetObject on " + bucket + "/" + key + " did not complete", e);
    }
    try {
      return Optional.ofNullable(json.mapper().readTree(bytes));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void put(String key, String body) {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
          RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
    } catch (AwsServiceException e) {
      throw failure("s3:PutObject", key, e);
    } catch (SdkException e) {
      throw new RetryableException("s3:PutObject on " + bucket + "/" + key + " did not complete", e);
    }
  }

  private RuntimeException failure(String action, String key, AwsServiceException e) {
    String what = action + " on " + bucket + "/" + key + " failed (HTTP " + e.statusCode() + ")";
    return e.isThrottlingException() || e.statusCode() >= 500
        ? new RetryableException(what, e)
        : new TerminalException(what, e);
  }
}
