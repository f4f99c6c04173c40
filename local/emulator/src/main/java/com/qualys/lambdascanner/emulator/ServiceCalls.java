package com.qualys.lambdascanner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an AWS service (EventBridge, EventBridge Scheduler) does when it acts for a customer: it assumes the
 * customer's role as itself ({@code sts:AssumeRole} by the service principal, which only the role's trust policy can
 * allow), then calls the target with that role's session, through {@link LocalLambda}'s forwarder, where the call is
 * evaluated as the role like any other. Requests to moto carry the key in a Signature V4 {@code Authorization}
 * header; the signature itself is not computed (neither moto nor {@link Enforcement} reads it, only the key and the
 * credential scope).
 */
final class ServiceCalls {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");

  /** A target call's answer: HTTP status, the error type AWS named (or null) and the body. */
  record Answer(int status, String errorType, String body) {

    boolean ok() {
      return status < 300;
    }
  }

  private final Authorization authorization;
  private final URI throughEnforcement;
  private final URI moto;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** One harness key per account: for what the service does as itself in moto (a dead letter's SendMessage). */
  private final Map<String, String> serviceKeys = new ConcurrentHashMap<>();

  ServiceCalls(Authorization authorization, URI throughEnforcement, URI moto) {
    this.authorization = authorization;
    this.throughEnforcement = throughEnforcement;
    this.moto = moto;
  }

  /**
   * The service principal's request on a resource that only the resource's policy can allow (a role's trust, a
   * queue's policy); allowed without evaluation when enforcement is off ({@code AUTHZ=off}).
   */
  Authorization.Decision asService(String servicePrincipal, String action, String resource, Map<String, ?> context) {
    if (authorization == null) {
      return new Authorization.Decision(servicePrincipal, action, resource, true, java.util.List.of(),
          java.util.List.of(), "enforcement off");
    }
    return authorization.serviceRequest(servicePrincipal, action, resource, context);
  }

  /** A session of {@code roleArn} (moto issues it; the run's authorization evaluates its requests as the role). */
  String session(String roleArn, String sessionName) throws IOException, InterruptedException {
    String key = assumeRole(roleArn, sessionName);
    if (authorization != null) {
      authorization.functionSession(key, roleArn, sessionName);
    }
    return key;
  }

  /** A JSON-protocol call ({@code AWSStepFunctions.StartExecution}, ...) as {@code accessKeyId}, enforced. */
  Answer call(String accessKeyId, String region, String service, String target, String contentType, JsonNode body)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(throughEnforcement.resolve("/"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", authorization(accessKeyId, region, service))
        .header("X-Amz-Target", target)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    String errorType = response.headers().firstValue("x-amzn-ErrorType").orElse(null);
    if (errorType == null && response.statusCode() >= 300) {
      JsonNode error = parse(response.body());
      errorType = error.path("__type").asText(null);
    }
    return new Answer(response.statusCode(), errorType == null ? null : errorType.replaceAll("[:#].*$", ""),
        response.body());
  }

  /**
   * {@code states:StartExecution} of {@code stateMachineArn} with {@code input}, as {@code accessKeyId}. The request
   * names no execution (as EventBridge's and Scheduler's do not); Step Functions then names it with a UUID, which moto
   * does not (it names every such execution "None"), so the emulator sends the UUID.
   */
  Answer startExecution(String accessKeyId, String stateMachineArn, String input)
      throws IOException, InterruptedException {
    ObjectNode start = object().put("stateMachineArn", stateMachineArn).put("name", UUID.randomUUID().toString())
        .put("input", input);
    return call(accessKeyId, stateMachineArn.split(":")[3], "states", "AWSStepFunctions.StartExecution",
        "application/x-amz-json-1.0", start);
  }

  /** SQS SendMessage as the service itself, in the queue's account (after {@link #asService} allowed it). */
  void sendMessage(String queueArn, String body, Map<String, String> attributes)
      throws IOException, InterruptedException {
    String[] arn = queueArn.split(":");
    String account = arn[4];
    ObjectNode request = JSON.createObjectNode();
    request.put("QueueUrl", moto.resolve("/" + account + "/" + arn[5]).toString());
    request.put("MessageBody", body);
    ObjectNode attributeValues = request.putObject("MessageAttributes");
    attributes.forEach((name, value) -> attributeValues.putObject(name).put("DataType", "String")
        .put("StringValue", value));
    String key = serviceKeys.computeIfAbsent(account, a -> {
      try {
        return assumeRole("arn:aws:iam::" + a + ":role/local-aws-service", "aws-service");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    if (authorization != null) {
      authorization.harnessKey(key);
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(moto.resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization(key, arn[3], "sqs"))
        .header("X-Amz-Target", "AmazonSQS.SendMessage")
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException("SendMessage to " + queueArn + ": " + response.statusCode() + " " + response.body());
    }
  }

  private String assumeRole(String roleArn, String sessionName) throws IOException, InterruptedException {
    String form = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + URLEncoder.encode(roleArn, StandardCharsets.UTF_8)
        + "&RoleSessionName=" + URLEncoder.encode(sessionName, StandardCharsets.UTF_8);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(moto.resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization("testing", "us-east-1", "sts"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    Matcher key = ACCESS_KEY_ID.matcher(response.body());
    if (response.statusCode() != 200 || !key.find()) {
      throw new IOException("moto refused AssumeRole of " + roleArn + ": " + response.statusCode());
    }
    return key.group(1);
  }

  private static String authorization(String accessKeyId, String region, String service) {
    String date = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + date + "/" + region + "/" + service
        + "/aws4_request, SignedHeaders=content-type;host;x-amz-target, Signature=" + "0".repeat(64);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static String sessionName(String service) {
    return service + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
