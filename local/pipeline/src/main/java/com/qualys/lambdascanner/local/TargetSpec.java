package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function an event names, as much as the event tells of it: what the local run creates in moto so that Resolve
 * Target finds it.
 */
record TargetSpec(
    String account,
    String region,
    String name,
    boolean image,
    String runtime,
    String handler,
    String imageUri,
    List<String> layers,
    List<String> architectures,
    Integer version,
    Map<String, String> tags) {

  /** AWS's limit on a function's tags; an event with more is cut there (the local run must not fail on it). */
  private static final int MAX_TAGS = 50;

  private static final Pattern ARN =
      Pattern.compile("^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]+)(?::([^:]+))?$");

  /** Null when the event names no function to create (a failed call, an unknown shape). */
  static TargetSpec from(JsonNode event, String defaultAccount, String defaultRegion) {
    JsonNode detail = event.path("detail");
    String account = event.path("account").asText(defaultAccount);
    String region = event.path("region").asText(defaultRegion);
    String reference;
    JsonNode response = detail.path("responseElements");
    JsonNode request = detail.path("requestParameters");
    if (detail.isObject()) {
      if (detail.has("errorCode")) {
        return null;
      }
      reference = response.path("functionName").asText(request.path("functionName").asText(null));
    } else {
      reference = event.path("functionArn").asText(event.path("functionName").asText(null));
      account = event.path("accountId").asText(account);
      region = event.path("region").asText(region);
    }
    if (reference == null || reference.isBlank()) {
      return null;
    }
    String name = reference;
    String qualifier = null;
    Matcher arn = ARN.matcher(reference);
    if (arn.matches()) {
      region = arn.group(1);
      account = arn.group(2);
      name = arn.group(3);
      qualifier = arn.group(4);
    }
    // publish: true gives the event a version; the function must have it for Resolve Target to find it.
    String version = response.path("version").asText(null);
    if (version == null || !version.matches("\\d+")) {
      Matcher published = ARN.matcher(response.path("functionArn").asText(""));
      version = published.matches() ? published.group(4) : qualifier;
    }
    String packageType = response.path("packageType").asText(request.path("packageType").asText("Zip"));
    boolean image = packageType.equalsIgnoreCase("Image");
    String imageUri = request.path("code").path("imageUri").asText(request.path("imageUri").asText(null));
    if (image && imageUri == null) {
      imageUri = account + ".dkr.ecr." + region + ".amazonaws.com/" + name + ":latest";
    }
    List<String> layers = new ArrayList<>();
    response.path("layers").forEach(l -> layers.add(l.path("arn").asText()));
    if (layers.isEmpty()) {
      request.path("layers").forEach(l -> layers.add(l.asText()));
    }
    List<String> architectures = new ArrayList<>();
    response.path("architectures").forEach(a -> architectures.add(a.asText()));
    if (architectures.isEmpty()) {
      architectures.add("x86_64");
    }
    // The CreateFunction request's tags, as AWS applies them (string values only; the event is attacker-written).
    Map<String, String> tags = new LinkedHashMap<>();
    request.path("tags").properties().forEach(e -> {
      if (e.getValue().isTextual() && tags.size() < MAX_TAGS) {
        tags.put(e.getKey(), e.getValue().asText());
      }
    });
    return new TargetSpec(account, region, name, image,
        response.path("runtime").asText(request.path("runtime").asText("python3.12")),
        response.path("handler").asText(request.path("handler").asText("index.handler")),
        imageUri, layers, architectures,
        version != null && version.matches("\\d+") ? Integer.valueOf(version) : null,
        Map.copyOf(tags));
  }

  /** The event's tags plus one of the local run's own (which wins). */
  Map<String, String> tagsWith(String key, String value) {
    Map<String, String> all = new LinkedHashMap<>(tags);
    all.put(key, value);
    return all;
  }
}
