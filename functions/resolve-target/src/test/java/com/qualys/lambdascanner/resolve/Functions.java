package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.model.Layer;
import java.util.List;
import java.util.Map;

/** Descriptions of the sample functions, as Lambda would give them. */
final class Functions {

  static final String SHA_V1 = "Gx8f3kZ0m1vYwQ9pJc2LrT5uN7bHs4eA6dKiO0qWzXc=";
  static final String SHA_V2 = "q7VbN3mP0sXc8LkJ2hGf5dSa1ZxC4vB6nM9qW0eRtYu=";
  static final String IMAGE_SHA = "5c8e0b1f3a7d9e2c4b6a8f0d1e3c5a7b9d2f4e6a8c0b1d3f5e7a9c2b4d6f8e01";
  static final String IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.1";
  static final String IMAGE_DIGEST = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:" + IMAGE_SHA;

  private Functions() {}

  static FunctionDescription ordersApi(String sha, String version, List<String> layers, Map<String, String> tags) {
    String arn = "$LATEST".equals(version) ? Samples.ORDERS_API : Samples.ORDERS_API + ":" + version;
    return new FunctionDescription(
        arn,
        version,
        "Zip",
        "java21",
        List.of("x86_64"),
        sha,
        null,
        null,
        layers.stream().map(l -> new Layer(l, "layer-sha-" + l.substring(l.lastIndexOf(':') + 1))).toList(),
        "Pending",
        tags,
        null);
  }

  static FunctionDescription ordersApi() {
    return ordersApi(SHA_V1, "$LATEST", List.of(Samples.SHARED_LIBS_3), Map.of("team", "orders"));
  }

  static FunctionDescription ordersImage() {
    return new FunctionDescription(
        Samples.ORDERS_IMAGE, "$LATEST", "Image", null, List.of("x86_64"), IMAGE_SHA, IMAGE_URI, IMAGE_DIGEST,
        List.of(), "Pending", Map.of(), null);
  }
}
