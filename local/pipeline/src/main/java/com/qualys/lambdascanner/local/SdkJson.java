package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * An SDK response object as the JSON the service sent, field names as on the wire. The SDK's own toString redacts
 * the fields marked sensitive (a state's input and output among them), which is exactly what a leak check must read.
 */
final class SdkJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkJson() {}

  static JsonNode toJson(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof SdkPojo pojo) {
      ObjectNode node = NODES.objectNode();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object fieldValue = field.getValueOrDefault(pojo);
        if (fieldValue != null && !isAutoConstructEmpty(fieldValue)) {
          node.set(field.locationName(), toJson(fieldValue));
        }
      }
      return node;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(toJson(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
      return node;
    }
    if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    return NODES.textNode(String.valueOf(value));
  }

  private static boolean isAutoConstructEmpty(Object value) {
    return value instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
        || value instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>;
  }
}
