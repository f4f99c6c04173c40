package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Trigger;
import java.util.regex.Pattern;

/**
 * Reads the execution input: an EventBridge event from CloudTrail, or a direct request. Every field is
 * type-checked and bounded; names and ARNs are validated before anything uses them. Fields that only
 * describe the trigger (event id, time, caller) are kept when well-formed and dropped otherwise.
 */
final class InputParser {

  static final String CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
  static final String LAMBDA_SOURCE = "aws.lambda";
  static final String DIRECT_SOURCE = "direct";

  /** The three calls that change what a function runs, with any API version suffix CloudTrail appends. */
  private static final Pattern SCANNED_EVENT_NAME =
      Pattern.compile("(?:CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration)(?:\\d{8}(?:v\\d{1,3})?)?");

  private static final int MAX_FIELD = 256;
  private static final int MAX_ECHO = 64;

  private final String defaultRegion;

  InputParser(String defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  /**
   * Parses the execution input.
   *
   * @param event the execution input (without the state machine's wrapper)
   * @param now the time to record for a direct request
   */
  Intent parse(JsonNode event, String now) {
    if (event == null || !event.isObject()) {
      throw new InvalidInputException("the event must be a JSON object");
    }
    if (event.has("source") || event.has("detail-type") || event.has("detail")) {
      return eventBridge(event);
    }
    if (event.has("functionArn") || event.has("functionName")) {
      return direct(event, now);
    }
    throw new InvalidInputException(
        "input is neither an EventBridge event (source, detail-type, detail) nor a direct request "
            + "(functionArn or functionName)");
  }

  private Intent eventBridge(JsonNode event) {
    String source = text(event, "source");
    String detailType = text(event, "detail-type");
    JsonNode detail = event.get("detail");
    Trigger trigger =
        new Trigger(
            source == null ? null : echo(source),
            metadata(detail, "eventName"),
            metadata(detail, "eventID"),
            firstNonNull(metadata(detail, "eventTime"), metadata(event, "time")),
            detail != null && detail.isObject() ? metadata(detail.get("userIdentity"), "arn") : null,
            null);
    if (!LAMBDA_SOURCE.equals(source)) {
      return new Intent.Skip(
          trigger, null, SkipReason.UNSUPPORTED_EVENT, "source " + quoted(source) + " is not " + LAMBDA_SOURCE);
    }
    if (!CLOUDTRAIL_DETAIL_TYPE.equals(detailType)) {
      return new Intent.Skip(
          trigger,
          null,
          SkipReason.UNSUPPORTED_EVENT,
          "detail-type " + quoted(detailType) + " is not " + CLOUDTRAIL_DETAIL_TYPE);
    }
    if (detail == null || !detail.isObject()) {
      throw new InvalidInputException("detail must be an object");
    }
    String eventSource = text(detail, "eventSource");
    if (eventSource != null && !"lambda.amazonaws.com".equals(eventSource)) {
      return new Intent.Skip(
          trigger, null, SkipReason.UNSUPPORTED_EVENT, "eventSource " + quoted(eventSource) + " is not Lambda");
    }
    String eventName = text(detail, "eventName");
    if (eventName == null) {
      throw new InvalidInputException("detail.eventName is missing");
    }
    if (!SCANNED_EVENT_NAME.matcher(eventName).matches()) {
      return new Intent.Skip(
          trigger,
          null,
          SkipReason.UNSUPPORTED_EVENT,
          "event " + quoted(eventName) + " does not change a function's code or layers");
    }
    JsonNode errorCode = detail.get("errorCode");
    if (errorCode != null && !errorCode.isNull()) {
      // A failed call changed nothing and often names something invalid: identify it only if we can.
      FunctionRef ref;
      try {
        ref = identity(event, detail);
      } catch (InvalidInputException unidentifiable) {
        ref = null;
      }
      return new Intent.Skip(
          trigger,
          ref,
          SkipReason.FAILED_CALL,
          "the call failed with "
              + (errorCode.isTextual() ? quoted(errorCode.asText()) : "an error")
              + ": nothing changed");
    }
    return new Intent.Resolve(trigger, identity(event, detail), false);
  }

  /**
   * The function the event is about: the ARN Lambda answered with (version-qualified when a version was
   * published), else the name the caller gave, in the event's account and region.
   */
  private static FunctionRef identity(JsonNode event, JsonNode detail) {
    String account =
        agreeing(
            Names.account(text(event, "account"), "account"),
            Names.account(text(detail, "recipientAccountId"), "detail.recipientAccountId"),
            "account");
    String region =
        agreeing(
            Names.region(text(event, "region"), "region"),
            Names.region(text(detail, "awsRegion"), "detail.awsRegion"),
            "region");
    if (account == null) {
      throw new InvalidInputException("the event names no account (account or detail.recipientAccountId)");
    }
    if (region == null) {
      throw new InvalidInputException("the event names no region (region or detail.awsRegion)");
    }
    JsonNode response = object(detail, "responseElements");
    String functionArn = response == null ? null : text(response, "functionArn");
    if (functionArn != null) {
      return Names.function(functionArn, "detail.responseElements.functionArn", account, region);
    }
    JsonNode request = object(detail, "requestParameters");
    if (request == null) {
      throw new InvalidInputException("detail has neither responseElements.functionArn nor requestParameters");
    }
    FunctionRef named =
        Names.function(text(request, "functionName"), "detail.requestParameters.functionName", account, region);
    // The calls scanned here change $LATEST whatever qualifier the caller wrote.
    return new FunctionRef(named.partition(), named.accountId(), named.region(), named.functionName(), null);
  }

  private Intent direct(JsonNode request, String now) {
    String functionArn = text(request, "functionArn");
    String functionName = text(request, "functionName");
    String accountId = Names.account(text(request, "accountId"), "accountId");
    String region = Names.region(text(request, "region"), "region");
    String reason = text(request, "reason");
    if (reason != null && reason.length() > MAX_FIELD) {
      throw new InvalidInputException("reason is longer than " + MAX_FIELD + " characters");
    }
    boolean force = flag(request, "force");
    Trigger trigger = new Trigger(DIRECT_SOURCE, null, null, now, null, reason == null ? null : clean(reason));
    if (functionArn != null && functionName != null) {
      throw new InvalidInputException("give functionArn or functionName, not both");
    }
    FunctionRef ref;
    if (functionArn != null) {
      if (!functionArn.startsWith("arn:")) {
        throw new InvalidInputException("functionArn is not a valid Lambda function ARN");
      }
      String arnRegion = region;
      if (arnRegion == null) {
        // The ARN names its own region; validate it against itself.
        arnRegion = regionOfArn(functionArn);
      }
      ref = Names.function(functionArn, "functionArn", accountId, arnRegion);
    } else if (functionName != null) {
      String effectiveRegion = region != null ? region : regionOfArnOrNull(functionName);
      if (effectiveRegion == null) {
        effectiveRegion = defaultRegion;
      }
      if (effectiveRegion == null) {
        throw new InvalidInputException("region is required: this function has no default region");
      }
      ref = Names.function(functionName, "functionName", accountId, effectiveRegion);
    } else {
      throw new InvalidInputException("functionArn or functionName is required");
    }
    return new Intent.Resolve(trigger, ref, force);
  }

  private static String regionOfArn(String arn) {
    String region = regionOfArnOrNull(arn);
    if (region == null) {
      throw new InvalidInputException("functionArn is not a valid Lambda function ARN");
    }
    return region;
  }

  private static String regionOfArnOrNull(String text) {
    if (!text.startsWith("arn:")) {
      return null;
    }
    String[] parts = text.split(":", 6);
    return parts.length > 4 && Names.REGION.matcher(parts[3]).matches() ? parts[3] : null;
  }

  /** A string field: absent or null gives null; any other type is invalid input. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidInputException(field + " must be a string");
    }
    return value.asText();
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw new InvalidInputException(field + " must be an object");
    }
    return value;
  }

  private static boolean flag(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidInputException(field + " must be true or false");
    }
    return value.booleanValue();
  }

  /** A trigger detail: kept when it is a short string, dropped otherwise (it decides nothing). */
  private static String metadata(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && value.asText().length() <= MAX_FIELD ? clean(value.asText()) : null;
  }

  private static String agreeing(String fromEvent, String fromDetail, String what) {
    if (fromEvent != null && fromDetail != null && !fromEvent.equals(fromDetail)) {
      throw new InvalidInputException("the event's " + what + " and its CloudTrail record disagree");
    }
    return fromEvent != null ? fromEvent : fromDetail;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /** Echoes untrusted text into a message: short, printable. */
  private static String quoted(String value) {
    return value == null ? "(none)" : "\"" + echo(value) + "\"";
  }

  private static String echo(String value) {
    String cleaned = clean(value);
    return cleaned.length() > MAX_ECHO ? cleaned.substring(0, MAX_ECHO) + "..." : cleaned;
  }

  /** Control characters (line breaks, escapes) would forge log lines or console output. */
  private static String clean(String value) {
    return value.codePoints()
        .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
