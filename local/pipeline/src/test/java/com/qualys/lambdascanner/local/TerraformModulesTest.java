package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * terraform/, read by HashiCorp's own HCL parser (npm {@code @cdktf/hcl2json}; no terraform binary here): every file
 * parses, each module's variables are its template's parameters one to one (name in snake_case, type, default,
 * allowed values, limits and pattern as validation blocks), its outputs the stack's, every example gives its modules
 * only inputs they declare, and every configuration pins Terraform and the AWS provider. A parameter added to
 * template.yaml or templates/spoke.yaml without its variable fails here.
 */
class TerraformModulesTest {

  private static final Path ROOT = Samples.projectRoot();
  private static final Set<String> MODULE_META_ARGUMENTS = Set.of("source", "version", "providers", "count", "for_each",
      "depends_on");
  private static Map<String, JsonNode> files;

  @BeforeAll
  static void parse() throws Exception {
    Path script = ROOT.resolve("local/pipeline/src/test/node/hcl2json.js");
    Process node = new ProcessBuilder("node", script.toString(), ROOT.resolve("terraform").toString())
        .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] out = node.getInputStream().readAllBytes();
    String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as("hcl2json (npm ci installs @cdktf/hcl2json): " + err).isZero();
    Map<String, JsonNode> parsed = new LinkedHashMap<>();
    Samples.JSON.readTree(out).properties().forEach(e -> parsed.put(e.getKey(), e.getValue()));
    files = parsed;
  }

  /** CloudFormation's parameter name as a Terraform variable: ScanEphemeralStorageMiB is scan_ephemeral_storage_mib. */
  static String snake(String name) {
    return name.replaceAll("(?<=[a-z0-9])(?=[A-Z][a-z])", "_").replaceAll("(?<=[A-Z])(?=[A-Z][a-z])", "_")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** The blocks of one kind ("variable", "output", "module", "resource") in a directory, by name. */
  private static Map<String, JsonNode> blocks(String dir, String kind) {
    Map<String, JsonNode> blocks = new LinkedHashMap<>();
    files.forEach((file, json) -> {
      if (Path.of(file).getParent().toString().equals(dir) && json.has(kind)) {
        json.get(kind).properties().forEach(e -> blocks.put(e.getKey(), e.getValue().get(0)));
      }
    });
    return blocks;
  }

  /** The resource {@code <type> "this"} a module's main.tf declares. */
  private static JsonNode resource(String dir, String type) {
    JsonNode resources = files.get(dir + "/main.tf").get("resource");
    assertThat(resources).as(dir + "/main.tf resources").isNotNull();
    return resources.get(type).get("this").get(0);
  }

  /** An HCL expression as hcl2json keeps it: "${...}" around the source text. */
  private static String expression(JsonNode value) {
    String text = value.asText();
    return text.startsWith("${") && text.endsWith("}") ? text.substring(2, text.length() - 1) : text;
  }

  private static List<String> conditions(JsonNode variable) {
    List<String> conditions = new ArrayList<>();
    if (variable.has("validation")) {
      variable.get("validation").forEach(v -> conditions.add(expression(v.get("condition"))));
    }
    return conditions;
  }

  @Test
  void layout_whenListed_expectationEveryModuleAndExampleWithItsFiles() {
    for (String module : List.of("pipeline", "spoke", "spoke-stackset")) {
      for (String file : List.of("variables.tf", "main.tf", "outputs.tf", "versions.tf")) {
        assertThat(files).as(module).containsKey("modules/" + module + "/" + file);
      }
      assertThat(ROOT.resolve("terraform/modules/" + module + "/README.md")).isRegularFile();
    }
    for (String example : List.of("single-account", "single-account-multi-region", "hub-and-spoke",
        "organization-stackset")) {
      assertThat(files).containsKeys("examples/" + example + "/main.tf", "examples/" + example + "/versions.tf");
    }
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @CsvSource({
      "modules/pipeline, template.yaml, aws_cloudformation_stack",
      "modules/spoke, templates/spoke.yaml, aws_cloudformation_stack",
      "modules/spoke-stackset, templates/spoke.yaml, aws_cloudformation_stack_set"})
  void variables_whenComparedWithTheTemplatesParameters_expectationOneToOne(String module, String templateFile,
      String resourceType) {
    Map<String, Object> parameters = Template.map(Template.read(ROOT.resolve(templateFile)).root().get("Parameters"));
    JsonNode passed = resource(module, resourceType).get("parameters");
    Map<String, JsonNode> variables = blocks(module, "variable");

    List<String> passedNames = new ArrayList<>();
    passed.fieldNames().forEachRemaining(passedNames::add);
    assertThat(passedNames).as("the stack's parameters").containsExactlyInAnyOrderElementsOf(parameters.keySet());

    parameters.forEach((name, value) -> {
      Map<String, Object> parameter = Template.map(value);
      String variableName = snake(name);
      String type = String.valueOf(parameter.get("Type"));
      boolean list = type.equals("CommaDelimitedList");
      String reference = "var." + variableName;
      assertThat(expression(passed.get(name))).as(name).isEqualTo(list ? "join(\",\", " + reference + ")" : reference);

      JsonNode variable = variables.get(variableName);
      assertThat(variable).as("variable %s for parameter %s", variableName, name).isNotNull();
      assertThat(expression(variable.get("type"))).as(variableName + " type")
          .isEqualTo(switch (type) {
            case "Number" -> "number";
            case "CommaDelimitedList" -> "list(string)";
            default -> "string";
          });
      assertDefault(variableName, parameter, variable, list);
      assertThat(variable.path("sensitive").asBoolean(false)).as(variableName + " sensitive <=> NoEcho")
          .isEqualTo(Boolean.TRUE.equals(parameter.get("NoEcho")));
      assertConstraints(variableName, reference, parameter, conditions(variable));
    });
  }

  private static void assertDefault(String variableName, Map<String, Object> parameter, JsonNode variable,
      boolean list) {
    if (!parameter.containsKey("Default")) {
      assertThat(variable.has("default")).as(variableName + ": no default, as the parameter").isFalse();
      return;
    }
    String expected = String.valueOf(parameter.get("Default"));
    JsonNode actual = variable.get("default");
    assertThat(actual).as(variableName + " default").isNotNull();
    if (list) {
      List<String> items = new ArrayList<>();
      actual.forEach(item -> items.add(item.asText()));
      assertThat(String.join(",", items)).as(variableName + " default").isEqualTo(expected);
    } else if (actual.isNumber()) {
      assertThat(actual.decimalValue()).as(variableName + " default")
          .isEqualByComparingTo(new java.math.BigDecimal(expected));
    } else {
      assertThat(actual.asText()).as(variableName + " default").isEqualTo(expected);
    }
  }

  private static void assertConstraints(String variableName, String reference, Map<String, Object> parameter,
      List<String> conditions) {
    Object allowed = parameter.get("AllowedValues");
    if (allowed != null) {
      String values = ((List<?>) allowed).stream()
          .map(v -> "Number".equals(parameter.get("Type")) ? String.valueOf(v) : "\"" + v + "\"")
          .reduce((a, b) -> a + ", " + b).orElseThrow();
      assertThat(conditions).as(variableName + " allowed values").contains("contains([" + values + "], " + reference + ")");
    } else {
      assertThat(conditions).as(variableName + ": no allowed values, as the parameter")
          .noneMatch(c -> c.startsWith("contains("));
    }
    expectBound(conditions, variableName, parameter.get("MinValue"), reference + " >= ");
    expectBound(conditions, variableName, parameter.get("MaxValue"), reference + " <= ");
    expectBound(conditions, variableName, parameter.get("MinLength"), "length(" + reference + ") >= ");
    expectBound(conditions, variableName, parameter.get("MaxLength"), "length(" + reference + ") <= ");
    Object pattern = parameter.get("AllowedPattern");
    List<String> patterns = conditions.stream().filter(c -> c.startsWith("can(regex(")).map(c -> {
      // The pattern is the first argument, an HCL string literal (JSON's escapes for these characters).
      try (var parser = Samples.JSON.createParser(c.substring("can(regex(".length()))) {
        parser.nextToken();
        return parser.getValueAsString();
      } catch (IOException e) {
        throw new AssertionError(c, e);
      }
    }).toList();
    assertThat(patterns).as(variableName + " pattern").containsExactlyElementsOf(
        pattern == null ? List.of() : List.of(String.valueOf(pattern)));
  }

  private static void expectBound(List<String> conditions, String variableName, Object bound, String prefix) {
    if (bound == null) {
      assertThat(String.join(" ", conditions)).as(variableName).doesNotContain(prefix);
    } else {
      assertThat(String.join(" && ", conditions)).as(variableName + " " + prefix + bound)
          .containsPattern(java.util.regex.Pattern.quote(prefix + bound) + "(\\s|$|&)");
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"modules/pipeline, template.yaml", "modules/spoke, templates/spoke.yaml"})
  void outputs_whenComparedWithTheTemplatesOutputs_expectationEveryOneMirrored(String module, String templateFile) {
    Map<String, Object> templateOutputs = Template.map(Template.read(ROOT.resolve(templateFile)).root().get("Outputs"));
    Map<String, JsonNode> outputs = blocks(module, "output");

    Set<String> mirrored = new TreeSet<>();
    outputs.forEach((name, output) -> {
      String value = expression(output.get("value"));
      if (value.contains(".outputs")) {
        mirrored.add(name);
      }
    });
    assertThat(mirrored).isEqualTo(new TreeSet<>(templateOutputs.keySet().stream().map(TerraformModulesTest::snake)
        .toList()));
    templateOutputs.forEach((name, value) -> {
      String expected = Template.map(value).containsKey("Condition")
          ? "lookup(aws_cloudformation_stack.this.outputs, \"" + name + "\", null)"
          : "aws_cloudformation_stack.this.outputs[\"" + name + "\"]";
      assertThat(expression(outputs.get(snake(name)).get("value"))).as(name).isEqualTo(expected);
    });
  }

  @Test
  void examples_whenTheirModulesRead_expectationOnlyDeclaredInputsAndEveryRequiredOne() {
    List<String> checked = new ArrayList<>();
    files.keySet().stream().filter(f -> f.startsWith("examples/")).map(f -> Path.of(f).getParent().toString())
        .distinct().forEach(example -> blocks(example, "module").forEach((name, module) -> {
          String source = module.get("source").asText();
          String moduleDir = Path.of(example).resolve(source).normalize().toString();
          assertThat(moduleDir).as(example + " module " + name + " source").startsWith("modules/");
          Map<String, JsonNode> variables = blocks(moduleDir, "variable");
          assertThat(variables).as(moduleDir).isNotEmpty();
          Set<String> inputs = new TreeSet<>();
          module.fieldNames().forEachRemaining(inputs::add);
          inputs.removeAll(MODULE_META_ARGUMENTS);
          assertThat(variables.keySet()).as(example + " module " + name + ": inputs its module declares")
              .containsAll(inputs);
          variables.forEach((variable, declaration) -> {
            if (!declaration.has("default")) {
              assertThat(inputs).as(example + " module " + name + ": required input").contains(variable);
            }
          });
          checked.add(example + "/" + name);
        }));

    assertThat(checked).hasSizeGreaterThanOrEqualTo(7);
  }

  @Test
  void versions_whenEveryConfigurationRead_expectationTerraformAndTheAwsProviderPinned() throws IOException {
    Set<String> directories = new TreeSet<>();
    try (Stream<Path> tf = Files.walk(ROOT.resolve("terraform"))) {
      // .terraform/ is what terraform init downloads when someone ran it in an example: not ours.
      tf.filter(f -> f.toString().endsWith(".tf") && !f.toString().contains("/.terraform/"))
          .forEach(f -> directories.add(ROOT.resolve("terraform").relativize(f.getParent()).toString()));
    }
    assertThat(directories).hasSize(7);
    for (String dir : directories) {
      JsonNode terraform = files.get(dir + "/versions.tf").get("terraform").get(0);
      assertThat(terraform.get("required_version").asText()).as(dir).matches(">= ?\\d+\\.\\d+\\.\\d+, < ?\\d+\\.\\d+\\.\\d+");
      JsonNode aws = terraform.get("required_providers").get(0).get("aws");
      assertThat(aws.get("source").asText()).as(dir).isEqualTo("hashicorp/aws");
      assertThat(aws.get("version").asText()).as(dir + ": a major version, no open range").matches("~> ?\\d+\\.\\d+");
    }
  }
}
