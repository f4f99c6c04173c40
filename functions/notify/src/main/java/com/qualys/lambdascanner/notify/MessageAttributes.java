package com.qualys.lambdascanner.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Attributes subscribers filter on (SNS filter policies): status, highestSeverity (a Number, for numeric
 * ranges), accountId, region, functionName, policyResult, newHighestSeverity (a Number: the highest severity
 * among findings new since the previous scan), alert ({@code true} or {@code false}, see {@link Alerts}) and risk (a
 * Number: the function's risk 0-100). Nine of SNS's ten. SNS rejects an attribute with an empty value, so
 * unknown ones are left out rather than sent empty.
 */
final class MessageAttributes {

  private MessageAttributes() {}

  static Map<String, MessageAttributeValue> of(ScanSummary s) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    string(attributes, "status", s.status() == null ? null : s.status().name());
    attributes.put(
        "highestSeverity",
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Integer.toString(s.highestSeverity()))
            .build());
    string(attributes, "accountId", s.accountId());
    string(attributes, "region", s.region());
    string(attributes, "functionName", s.functionName());
    string(attributes, "policyResult", s.policyResult() == null ? null : s.policyResult().name());
    // What is new since the previous scan, for "page me only on new critical" filter policies.
    attributes.put(
        "newHighestSeverity",
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Integer.toString(s.newHighestSeverity()))
            .build());
    string(attributes, "alert", Boolean.toString(s.alert()));
    // The function's risk (0-100, 0 when unknown), for "only high-risk functions" filter policies.
    attributes.put(
        "risk",
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Integer.toString(s.risk() == null ? 0 : s.risk().score()))
            .build());
    return attributes;
  }

  private static void string(Map<String, MessageAttributeValue> attributes, String name, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    // Attribute values are bounded too: they count against the message size.
    int end = Math.min(value.length(), 256);
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    String bounded = value.substring(0, end);
    attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(bounded).build());
  }
}
