package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template as one stack would get it: the SAM transform applied by AWS's own translator (samtranslator, through
 * src/test/python/sam_translate.py), then CloudFormation's intrinsic functions resolved for a stack name, a region,
 * an account and parameter values (their defaults unless given). Resources that are not created have no physical
 * names to know, so a reference to one resolves to a stand-in: {@code <logicalId>}, or an ARN ending in it.
 *
 * <p>IAM roles without a RoleName get the name CloudFormation generates, {@code <stack>-<logicalId>-<12 characters>}
 * cut to IAM's 64 characters: AWS documents the limit, not the exact cut, which takes the characters from the stack
 * name and logical id here (any cut that keeps the random suffix leaves the same problem for name patterns).
 */
final class RenderedStack {

  static final String ACCOUNT = "123456789012";
  private static final String RANDOM_SUFFIX = "1A2B3C4D5E6F";
  private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private final Map<String, Object> template;
  private final String stackName;
  private final String region;
  private final Map<String, Object> parameters = new HashMap<>();

  private RenderedStack(Map<String, Object> template, String stackName, String region, Map<String, String> values) {
    this.template = template;
    this.stackName = stackName;
    this.region = region;
    Template.map(template.get("Parameters")).forEach((name, declared) -> {
      Object value = values.containsKey(name) ? values.get(name) : Template.map(declared).get("Default");
      parameters.put(name, "CommaDelimitedList".equals(Template.map(declared).get("Type")) && value != null
          ? List.of(String.valueOf(value).split(",", -1)) : value);
    });
  }

  /** The transform's output by template and region (the stack name and parameters only matter afterwards). */
  private static final Map<String, String> TRANSFORMED = new ConcurrentHashMap<>();

  /** The template at {@code file} (template.yaml, templates/spoke.yaml) for this stack. */
  static RenderedStack of(Path file, String stackName, String region, Map<String, String> parameterValues)
      throws IOException, InterruptedException {
    String json = TRANSFORMED.get(file + " " + region);
    if (json == null) {
      json = transform(file, region);
      TRANSFORMED.put(file + " " + region, json);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> transformed = new ObjectMapper().readValue(json, Map.class);
    return new RenderedStack(transformed, stackName, region, parameterValues);
  }

  private static String transform(Path file, String region) throws IOException, InterruptedException {
    Path script = Samples.projectRoot().resolve("local/pipeline/src/test/python/sam_translate.py");
    Process process = new ProcessBuilder(System.getProperty("python", "python3"), script.toString(), file.toString(),
        region).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("sam_translate.py failed on " + file + " (python3 with cfn-lint installed?)");
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Whether the resource exists in this stack (its Condition holds, or it has none). */
  boolean exists(String logicalId) {
    Object condition = Template.map(resources().get(logicalId)).get("Condition");
    return resources().containsKey(logicalId) && (condition == null || condition(String.valueOf(condition)));
  }

  /** A resource's properties with every intrinsic function resolved ({@code AWS::NoValue} entries dropped). */
  Map<String, Object> properties(String logicalId) {
    if (!exists(logicalId)) {
      throw new IllegalArgumentException(logicalId + " is not created in this stack");
    }
    return Template.map(resolve(Template.map(resources().get(logicalId)).get("Properties")));
  }

  Map<String, Object> resources() {
    return Template.map(template.get("Resources"));
  }

  boolean condition(String name) {
    Object definition = Template.map(template.get("Conditions")).get(name);
    if (definition == null) {
      throw new IllegalArgumentException("no condition " + name);
    }
    return Boolean.TRUE.equals(resolve(definition));
  }

  /** The ARN CloudFormation gives a role of this stack (its RoleName, else the generated name), with its Path. */
  String roleArn(String logicalId) {
    Map<String, Object> properties = Template.map(resources().get(logicalId)).get("Properties") == null
        ? Map.of() : Template.map(resolve(Template.map(resources().get(logicalId)).get("Properties")));
    Object path = properties.getOrDefault("Path", "/");
    return "arn:" + partition() + ":iam::" + ACCOUNT + ":role" + path + roleName(logicalId);
  }

  String roleName(String logicalId) {
    Object given = Template.map(Template.map(resources().get(logicalId)).get("Properties")).get("RoleName");
    if (given != null) {
      return String.valueOf(resolve(given));
    }
    String prefix = stackName + "-" + logicalId;
    int room = 64 - RANDOM_SUFFIX.length() - 1;
    return (prefix.length() > room ? prefix.substring(0, room) : prefix) + "-" + RANDOM_SUFFIX;
  }

  String partition() {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  String stackId() {
    return "arn:" + partition() + ":cloudformation:" + region + ":" + ACCOUNT + ":stack/" + stackName
        + "/0f6e2d1c-4b3a-11f0-9a8b-0a1b2c3d4e5f";
  }

  private static final Object NO_VALUE = new Object();

  Object resolve(Object node) {
    Object resolved = evaluate(node);
    return resolved == NO_VALUE ? null : resolved;
  }

  private Object evaluate(Object node) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        Object value = evaluate(item);
        if (value != NO_VALUE) {
          out.add(value);
        }
      }
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    if (map.size() == 1) {
      String key = String.valueOf(map.keySet().iterator().next());
      Object argument = map.values().iterator().next();
      if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition")) {
        return function(key, argument);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      Object value = evaluate(v);
      if (value != NO_VALUE) {
        out.put(String.valueOf(k), value);
      }
    });
    return out;
  }

  private Object function(String name, Object argument) {
    List<?> args = argument instanceof List<?> l ? l : List.of();
    return switch (name) {
      case "Ref" -> ref(String.valueOf(argument));
      case "Condition" -> condition(String.valueOf(argument));
      case "Fn::GetAtt" -> getAtt(argument instanceof String s ? List.of(s.split("\\.", 2)) : args);
      case "Fn::Sub" -> sub(argument);
      case "Fn::Join" -> String.join(String.valueOf(args.get(0)),
          ((List<?>) evaluate(args.get(1))).stream().map(String::valueOf).toList());
      case "Fn::Select" -> ((List<?>) evaluate(args.get(1))).get(Integer.parseInt(String.valueOf(evaluate(args.get(0)))));
      case "Fn::Split" -> List.of(String.valueOf(evaluate(args.get(1))).split(Pattern.quote(String.valueOf(args.get(0))), -1));
      case "Fn::If" -> condition(String.valueOf(args.get(0))) ? evaluate(args.get(1)) : evaluate(args.get(2));
      case "Fn::Equals" -> String.valueOf(evaluate(args.get(0))).equals(String.valueOf(evaluate(args.get(1))));
      case "Fn::Not" -> !Boolean.TRUE.equals(evaluate(args.get(0)));
      case "Fn::And" -> args.stream().allMatch(a -> Boolean.TRUE.equals(evaluate(a)));
      case "Fn::Or" -> args.stream().anyMatch(a -> Boolean.TRUE.equals(evaluate(a)));
      case "Fn::FindInMap" -> Template.map(Template.map(Template.map(template.get("Mappings"))
          .get(String.valueOf(evaluate(args.get(0))))).get(String.valueOf(evaluate(args.get(1)))))
          .get(String.valueOf(evaluate(args.get(2))));
      default -> throw new IllegalArgumentException("intrinsic function not rendered here: " + name);
    };
  }

  private Object ref(String name) {
    return switch (name) {
      case "AWS::NoValue" -> NO_VALUE;
      case "AWS::StackName" -> stackName;
      case "AWS::StackId" -> stackId();
      case "AWS::Region" -> region;
      case "AWS::AccountId" -> ACCOUNT;
      case "AWS::Partition" -> partition();
      case "AWS::URLSuffix" -> partition().equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
      default -> {
        if (parameters.containsKey(name)) {
          yield parameters.get(name);
        }
        if (!resources().containsKey(name)) {
          throw new IllegalArgumentException("Ref to nothing: " + name);
        }
        String prefix = "arn:" + partition() + ":";
        String scope = ":" + region + ":" + ACCOUNT + ":";
        yield switch (String.valueOf(Template.map(resources().get(name)).get("Type"))) {
          case "AWS::IAM::Role" -> roleName(name);
          case "AWS::Lambda::Alias" -> prefix + "lambda" + scope + "function:" + name + ":live";
          case "AWS::StepFunctions::StateMachine" -> prefix + "states" + scope + "stateMachine:" + resolve(Template.map(
              Template.map(resources().get(name)).get("Properties")).getOrDefault("StateMachineName", name));
          case "AWS::SNS::Topic" -> prefix + "sns" + scope + name;
          default -> name;
        };
      }
    };
  }

  private Object getAtt(List<?> args) {
    String resource = String.valueOf(args.get(0));
    String attribute = String.valueOf(args.get(1));
    Map<String, Object> declared = Template.map(resources().get(resource));
    if (declared.isEmpty()) {
      throw new IllegalArgumentException("GetAtt of nothing: " + resource);
    }
    if ("AWS::IAM::Role".equals(declared.get("Type")) && attribute.equals("Arn")) {
      return roleArn(resource);
    }
    return attribute.equals("Arn") ? "arn:" + partition() + ":stand-in:" + region + ":" + ACCOUNT + ":" + resource
        : resource + "." + attribute;
  }

  private String sub(Object argument) {
    String text;
    Map<String, Object> variables = new HashMap<>();
    if (argument instanceof List<?> l) {
      text = String.valueOf(l.get(0));
      Template.map(l.get(1)).forEach((k, v) -> variables.put(k, evaluate(v)));
    } else {
      text = String.valueOf(argument);
    }
    Matcher matcher = SUB.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      Object value = variables.containsKey(variable) ? variables.get(variable)
          : variable.contains(".") && !variable.startsWith("AWS::") ? getAtt(List.of(variable.split("\\.", 2)))
          : ref(variable);
      matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
    }
    matcher.appendTail(out);
    return out.toString().replace("${!", "${");
  }
}
