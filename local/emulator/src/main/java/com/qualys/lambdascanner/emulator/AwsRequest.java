package com.qualys.lambdascanner.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS request as IAM sees it: the action(s) it needs, on which resource, with which request context keys. One
 * parser per protocol the project's functions and state machines speak (S3 REST, the query protocol of STS and SNS,
 * Lambda REST, the JSON protocol of Secrets Manager, EventBridge, Step Functions, Organizations and ECR, Security
 * Hub's REST-JSON). A request it does not know is {@link UnknownRequest}: refused, never allowed by default.
 *
 * @param service the Signature V4 signing name ({@code s3}, {@code sts}, ...)
 * @param operation the API operation, for the log ({@code PutObject}, {@code AssumeRole})
 * @param checks what IAM evaluates, in order; all must be allowed
 */
record AwsRequest(String service, String operation, List<Check> checks) {

  /**
   * One IAM evaluation: {@code action} on {@code resource} (owned by {@code resourceAccount}) with these request
   * context keys (the principal's keys are added by {@link Authorization}).
   */
  record Check(String action, String resource, String resourceAccount, Map<String, ?> context) {}

  /** A request shape the emulator does not map to IAM: refused loudly. */
  static final class UnknownRequest extends Exception {
    UnknownRequest(String message) {
      super(message);
    }
  }

  /** What the request carries: method, raw path and query, one header by name (case-insensitive), the body. */
  record Raw(String method, String path, String query, Function<String, String> header, byte[] body,
      String service, String region, String callerAccount) {

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    Map<String, String> queryParameters() {
      return form(query == null ? "" : query);
    }
  }

  private static final Pattern LAMBDA_FUNCTION = Pattern.compile(
      "^/20\\d\\d-\\d\\d-\\d\\d/functions/([^/]+)(/[a-z-]+)?/?$");
  private static final Pattern LAMBDA_LAYER_VERSION = Pattern.compile(
      "^/2018-10-31/layers/([^/]+)/versions/(\\d+)$");
  private static final Pattern LAMBDA_TAGS = Pattern.compile("^/2017-03-31/tags/(.+)$");
  private static final Pattern ARN_ACCOUNT = Pattern.compile("^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12}):");

  static AwsRequest parse(Raw raw) throws UnknownRequest {
    return switch (raw.service()) {
      case "s3" -> s3(raw);
      case "sts", "sns", "sqs", "iam" -> query(raw);
      case "lambda" -> lambda(raw);
      case "secretsmanager", "events", "states", "organizations", "ecr", "kms", "scheduler" -> json(raw);
      case "securityhub" -> securityHub(raw);
      default -> throw new UnknownRequest("service " + raw.service() + " is not mapped to IAM");
    };
  }

  // S3 REST, path style (the emulator's endpoint is an IP address): /bucket[/key]

  private static AwsRequest s3(Raw raw) throws UnknownRequest {
    String path = raw.path().startsWith("/") ? raw.path().substring(1) : raw.path();
    int slash = path.indexOf('/');
    String bucket = URLDecoder.decode(slash < 0 ? path : path.substring(0, slash), StandardCharsets.UTF_8);
    String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"),
        StandardCharsets.UTF_8);
    Map<String, String> query = raw.queryParameters();
    if (bucket.isEmpty()) {
      throw new UnknownRequest("S3 " + raw.method() + " without a bucket");
    }
    String bucketArn = "arn:aws:s3:::" + bucket;
    // An S3 ARN names no account: the emulator's buckets belong to the account of the stack that uses them.
    String owner = raw.callerAccount();
    String objectArn = bucketArn + "/" + key;
    String method = raw.method();
    if (key.isEmpty()) {
      if ((method.equals("GET") || method.equals("HEAD")) && onlyListParameters(query)) {
        return one("s3", "ListObjects", "s3:ListBucket", bucketArn, owner, Map.of());
      }
      throw new UnknownRequest("S3 bucket request " + method + " ?" + raw.query());
    }
    boolean versioned = query.containsKey("versionId");
    if (query.containsKey("tagging") || query.containsKey("acl") || query.containsKey("retention")
        || query.containsKey("legal-hold") || query.containsKey("attributes")) {
      throw new UnknownRequest("S3 object sub-resource " + method + " ?" + raw.query());
    }
    return switch (method) {
      case "GET", "HEAD" -> one("s3", method.equals("GET") ? "GetObject" : "HeadObject",
          versioned ? "s3:GetObjectVersion" : "s3:GetObject", objectArn, owner, Map.of());
      case "PUT", "POST" -> {
        if (method.equals("POST") && !query.containsKey("uploads") && !query.containsKey("uploadId")) {
          throw new UnknownRequest("S3 POST ?" + raw.query());
        }
        if (raw.header().apply("x-amz-copy-source") != null) {
          throw new UnknownRequest("S3 CopyObject / UploadPartCopy");
        }
        Map<String, Object> context = new LinkedHashMap<>();
        String sse = raw.header().apply("x-amz-server-side-encryption");
        String keyId = raw.header().apply("x-amz-server-side-encryption-aws-kms-key-id");
        if (sse != null) {
          context.put("s3:x-amz-server-side-encryption", sse);
        }
        if (keyId != null) {
          context.put("s3:x-amz-server-side-encryption-aws-kms-key-id", keyId);
        }
        yield one("s3", query.containsKey("uploadId") ? "UploadPart" : "PutObject", "s3:PutObject", objectArn, owner,
            context);
      }
      case "DELETE" -> query.containsKey("uploadId")
          ? one("s3", "AbortMultipartUpload", "s3:AbortMultipartUpload", objectArn, owner, Map.of())
          : one("s3", "DeleteObject", versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", objectArn, owner,
              Map.of());
      default -> throw new UnknownRequest("S3 " + method);
    };
  }

  private static boolean onlyListParameters(Map<String, String> query) {
    return query.keySet().stream().allMatch(k -> List.of("list-type", "prefix", "delimiter", "max-keys",
        "continuation-token", "start-after", "encoding-type", "marker", "fetch-owner").contains(k));
  }

  // The query protocol: Action=... in a form body

  private static AwsRequest query(Raw raw) throws UnknownRequest {
    Map<String, String> form = form(raw.bodyText());
    form.putAll(raw.queryParameters());
    String action = form.get("Action");
    if (action == null) {
      throw new UnknownRequest(raw.service() + " request without Action");
    }
    String caller = raw.callerAccount();
    return switch (raw.service() + ":" + action) {
      case "sts:GetCallerIdentity" -> new AwsRequest("sts", action, List.of());
      case "sts:AssumeRole" -> {
        String roleArn = required(form, "RoleArn", raw);
        Map<String, Object> context = new LinkedHashMap<>();
        if (form.get("ExternalId") != null) {
          context.put("sts:ExternalId", form.get("ExternalId"));
        }
        if (form.get("RoleSessionName") != null) {
          context.put("sts:RoleSessionName", form.get("RoleSessionName"));
        }
        yield one("sts", action, "sts:AssumeRole", roleArn, accountOf(roleArn, caller), context);
      }
      case "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetRolePolicy" ->
          // The request names the role, not its path: the ARN IAM authorises is role/<path>name; the emulator's
          // roles have no path.
          one("iam", action, "iam:" + action, "arn:aws:iam::" + caller + ":role/" + required(form, "RoleName", raw),
              caller, Map.of());
      case "iam:GetPolicy", "iam:GetPolicyVersion" -> {
        String policy = required(form, "PolicyArn", raw);
        // AWS managed policies (arn:aws:iam::aws:policy/...) are readable from every account: not cross-account.
        yield one("iam", action, "iam:" + action, policy, accountOf(policy, caller), Map.of());
      }
      case "sns:Publish" -> {
        String topic = form.getOrDefault("TopicArn", form.get("TargetArn"));
        if (topic == null) {
          throw new UnknownRequest("sns:Publish without TopicArn (to a phone number?)");
        }
        yield one("sns", action, "sns:Publish", topic, accountOf(topic, caller), Map.of());
      }
      default -> throw new UnknownRequest(raw.service() + ":" + action + " is not mapped to IAM");
    };
  }

  // Lambda REST

  private static AwsRequest lambda(Raw raw) throws UnknownRequest {
    String path = raw.path();
    String region = raw.region();
    String caller = raw.callerAccount();
    Map<String, String> query = raw.queryParameters();
    Matcher tags = LAMBDA_TAGS.matcher(path);
    if (tags.matches()) {
      String arn = URLDecoder.decode(tags.group(1), StandardCharsets.UTF_8);
      return switch (raw.method()) {
        case "POST" -> one("lambda", "TagResource", "lambda:TagResource", arn, accountOf(arn, caller),
            tagContext(raw.bodyText()));
        case "GET" -> one("lambda", "ListTags", "lambda:ListTags", arn, accountOf(arn, caller), Map.of());
        case "DELETE" -> one("lambda", "UntagResource", "lambda:UntagResource", arn, accountOf(arn, caller),
            Map.of());
        default -> throw new UnknownRequest("Lambda tags " + raw.method());
      };
    }
    Matcher layer = LAMBDA_LAYER_VERSION.matcher(path);
    if (layer.matches() && raw.method().equals("GET")) {
      String name = URLDecoder.decode(layer.group(1), StandardCharsets.UTF_8);
      String arn = name.startsWith("arn:") ? name + ":" + layer.group(2)
          : "arn:aws:lambda:" + region + ":" + caller + ":layer:" + name + ":" + layer.group(2);
      return one("lambda", "GetLayerVersion", "lambda:GetLayerVersion", arn, accountOf(arn, caller), Map.of());
    }
    if (path.equals("/2018-10-31/layers") && "LayerVersion".equals(query.get("find")) && query.get("Arn") != null) {
      String arn = query.get("Arn");
      return one("lambda", "GetLayerVersionByArn", "lambda:GetLayerVersion", arn, accountOf(arn, caller),
          Map.of());
    }
    if (path.matches("^/20\\d\\d-\\d\\d-\\d\\d/functions/?$") && raw.method().equals("GET")) {
      return one("lambda", "ListFunctions", "lambda:ListFunctions", "*", caller, Map.of());
    }
    Matcher function = LAMBDA_FUNCTION.matcher(path);
    if (!function.matches()) {
      throw new UnknownRequest("Lambda " + raw.method() + " " + path);
    }
    String arn = functionArn(URLDecoder.decode(function.group(1), StandardCharsets.UTF_8), query.get("Qualifier"),
        region, caller);
    String sub = function.group(2) == null ? "" : function.group(2);
    String account = accountOf(arn, caller);
    return switch (raw.method() + " " + sub) {
      case "GET " -> one("lambda", "GetFunction", "lambda:GetFunction", arn, account, Map.of());
      case "GET /configuration" -> one("lambda", "GetFunctionConfiguration", "lambda:GetFunctionConfiguration", arn,
          account, Map.of());
      case "GET /policy" -> one("lambda", "GetPolicy", "lambda:GetPolicy", arn, account, Map.of());
      case "GET /url" -> one("lambda", "GetFunctionUrlConfig", "lambda:GetFunctionUrlConfig", arn, account, Map.of());
      case "POST /invocations" -> one("lambda", "Invoke", "lambda:InvokeFunction", arn, account, Map.of());
      case "PUT /concurrency" -> one("lambda", "PutFunctionConcurrency", "lambda:PutFunctionConcurrency",
          unqualified(arn), account, Map.of());
      case "GET /concurrency" -> one("lambda", "GetFunctionConcurrency", "lambda:GetFunctionConcurrency",
          unqualified(arn), account, Map.of());
      case "DELETE /concurrency" -> one("lambda", "DeleteFunctionConcurrency",
          "lambda:DeleteFunctionConcurrency", unqualified(arn), account, Map.of());
      case "PUT /code" -> one("lambda", "UpdateFunctionCode", "lambda:UpdateFunctionCode", unqualified(arn), account,
          Map.of());
      default -> throw new UnknownRequest("Lambda " + raw.method() + " " + path);
    };
  }

  /** A function name, partial ARN or ARN (with an optional qualifier) as the ARN IAM authorises. */
  static String functionArn(String reference, String qualifier, String region, String account) {
    String arn;
    if (reference.startsWith("arn:")) {
      arn = reference;
    } else if (reference.matches("^\\d{12}:function:.+")) {
      arn = "arn:aws:lambda:" + region + ":" + reference;
    } else {
      arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + reference;
    }
    return qualifier == null || qualifier.isEmpty() || arn.split(":").length > 7 ? arn : arn + ":" + qualifier;
  }

  private static String unqualified(String functionArn) {
    String[] parts = functionArn.split(":");
    return parts.length > 7 ? String.join(":", java.util.Arrays.copyOf(parts, 7)) : functionArn;
  }

  // The JSON protocol: X-Amz-Target: <prefix>.<Operation>

  private static final Pattern JSON_STRING_FIELD = Pattern.compile("\"(%s)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private static AwsRequest json(Raw raw) throws UnknownRequest {
    String target = raw.header().apply("X-Amz-Target");
    if (target == null || !target.contains(".")) {
      throw new UnknownRequest(raw.service() + " request without X-Amz-Target");
    }
    String operation = target.substring(target.lastIndexOf('.') + 1);
    String body = raw.bodyText();
    String caller = raw.callerAccount();
    String region = raw.region();
    return switch (raw.service() + ":" + operation) {
      case "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret" -> {
        String id = field(body, "SecretId", raw);
        String arn = id.startsWith("arn:") ? id : "arn:aws:secretsmanager:" + region + ":" + caller + ":secret:" + id;
        yield one(raw.service(), operation, "secretsmanager:" + operation, arn, accountOf(arn, caller), Map.of());
      }
      case "events:PutEvents" -> {
        List<Check> checks = new ArrayList<>();
        Matcher bus = Pattern.compile(String.format(JSON_STRING_FIELD.pattern(), "EventBusName")).matcher(body);
        List<String> buses = new ArrayList<>();
        while (bus.find()) {
          buses.add(bus.group(2));
        }
        if (buses.isEmpty()) {
          buses.add("default");
        }
        for (String name : buses.stream().distinct().toList()) {
          String arn = name.startsWith("arn:") ? name : "arn:aws:events:" + region + ":" + caller + ":event-bus/" + name;
          checks.add(new Check("events:PutEvents", arn, accountOf(arn, caller), Map.of()));
        }
        yield new AwsRequest("events", operation, checks);
      }
      case "states:StartExecution", "states:StartSyncExecution" -> {
        String arn = field(body, "stateMachineArn", raw);
        yield one("states", operation, "states:" + operation, arn, accountOf(arn, caller), Map.of());
      }
      case "states:DescribeExecution", "states:StopExecution", "states:GetExecutionHistory" -> {
        String arn = field(body, "executionArn", raw);
        yield one("states", operation, "states:" + operation, arn, accountOf(arn, caller), Map.of());
      }
      case "organizations:ListAccounts" -> one("organizations", operation, "organizations:ListAccounts", "*", caller,
          Map.of());
      case "ecr:GetAuthorizationToken" -> one("ecr", operation, "ecr:GetAuthorizationToken", "*", caller, Map.of());
      default -> throw new UnknownRequest(raw.service() + ":" + operation + " is not mapped to IAM");
    };
  }

  // Security Hub's REST-JSON API

  private static AwsRequest securityHub(Raw raw) throws UnknownRequest {
    if (raw.method().equals("POST") && raw.path().equals("/findings/import")) {
      // Authorised on the product the findings name (ProductArn): the account's own default product.
      Matcher product = Pattern.compile(String.format(JSON_STRING_FIELD.pattern(), "ProductArn"))
          .matcher(raw.bodyText());
      List<String> products = new ArrayList<>();
      while (product.find()) {
        products.add(product.group(2));
      }
      if (products.isEmpty()) {
        throw new UnknownRequest("securityhub:BatchImportFindings without a ProductArn");
      }
      List<Check> checks = products.stream().distinct()
          .map(arn -> new Check("securityhub:BatchImportFindings", arn, accountOf(arn, raw.callerAccount()),
              Map.<String, Object>of()))
          .toList();
      return new AwsRequest("securityhub", "BatchImportFindings", checks);
    }
    throw new UnknownRequest("securityhub " + raw.method() + " " + raw.path());
  }

  /** A TagResource body's tags as IAM sees them: {@code aws:TagKeys} and one {@code aws:RequestTag/<key>} each. */
  private static Map<String, Object> tagContext(String body) {
    Map<String, Object> context = new LinkedHashMap<>();
    int tags = body.indexOf("\"Tags\"");
    Matcher pair = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(tags < 0 ? "" : body.substring(tags));
    List<String> keys = new ArrayList<>();
    while (pair.find()) {
      keys.add(pair.group(1));
      context.put("aws:RequestTag/" + pair.group(1), pair.group(2));
    }
    context.put("aws:TagKeys", keys);
    return context;
  }

  // Helpers

  private static AwsRequest one(String service, String operation, String action, String resource, String account,
      Map<String, ?> context) {
    return new AwsRequest(service, operation, List.of(new Check(action, resource, account, context)));
  }

  static String accountOf(String arn, String fallback) {
    Matcher account = ARN_ACCOUNT.matcher(arn);
    return account.find() ? account.group(1) : fallback;
  }

  private static String required(Map<String, String> form, String name, Raw raw) throws UnknownRequest {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      throw new UnknownRequest(raw.service() + ":" + form.get("Action") + " without " + name);
    }
    return value;
  }

  private static String field(String body, String name, Raw raw) throws UnknownRequest {
    Matcher value = Pattern.compile(String.format(JSON_STRING_FIELD.pattern(), Pattern.quote(name))).matcher(body);
    if (!value.find()) {
      throw new UnknownRequest(raw.service() + " request without " + name);
    }
    return value.group(2).replace("\\/", "/").replace("\\\"", "\"");
  }

  static Map<String, String> form(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }
}
