package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.testing.Events;
import java.nio.file.Path;

/** The sample events in {@code events/} ({@link Events}), with the names and ARNs in them. */
final class Samples {

  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  static final String ORDERS_API = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
  static final String ORDERS_IMAGE = "arn:aws:lambda:us-east-1:123456789012:function:orders-image";
  static final String SHARED_LIBS_3 = "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:3";
  static final String SHARED_LIBS_4 = "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:4";

  private Samples() {}

  static Path path(String relative) {
    return Events.path(relative);
  }

  static String text(String relative) {
    return Events.text(relative);
  }

  /** A sample, parsed. */
  static ObjectNode event(String relative) {
    return (ObjectNode) tree(text(relative));
  }

  /** A sample with every occurrence of one string replaced (the integration test's unique names). */
  static ObjectNode event(String relative, String from, String to) {
    return (ObjectNode) tree(text(relative).replace(from, to));
  }

  static JsonNode tree(String json) {
    return Events.tree(json);
  }
}
