package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/**
 * template.yaml and the state machine, checked by the tools AWS users check them with: cfn-lint, asl-validator (the
 * definition as the template renders it, and as the local run renders it), and AWS's own EventBridge matcher
 * (event-ruler) for the rule that starts the pipeline.
 */
class TemplateIT {

  private static final Path ROOT = Samples.projectRoot();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private static Template template() {
    return Template.find(ROOT).orElseThrow(() -> new AssertionError("template.yaml is missing at " + ROOT));
  }

  @Test
  void substitutions_whenAslRendered_expectationEveryPlaceholderHasOneAndNoneIsUnused() throws IOException {
    String definition = Files.readString(ROOT.resolve("statemachine/scan-pipeline.asl.json"));
    Set<String> placeholders = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(definition);
    while (matcher.find()) {
      placeholders.add(matcher.group(1));
    }

    Set<String> substitutions = new TreeSet<>(template().definitionSubstitutions(PipelineSettings.STATE_MACHINE_ID).keySet());

    assertThat(placeholders).isNotEmpty();
    assertThat(substitutions).isEqualTo(placeholders);
  }

  /** A state machine's DefinitionSubstitutions as CloudFormation resolves them for a stack with the defaults. */
  private static Map<String, String> productionSubstitutions(String stateMachineId) throws Exception {
    Map<String, String> values = new HashMap<>();
    Template.map(RenderedStack.of(ROOT.resolve("template.yaml"), "qualys-lambda-scanner", "us-east-1", Map.of())
        .properties(stateMachineId).get("DefinitionSubstitutions")).forEach((k, v) -> values.put(k, String.valueOf(v)));
    return values;
  }

  @Test
  void aslValidator_whenRenderedWithProductionSubstitutions_expectationValid() throws Exception {
    assertValid(LocalPipeline.renderDefinition(ROOT, productionSubstitutions(PipelineSettings.STATE_MACHINE_ID)));
  }

  @Test
  void aslValidator_whenRenderedForTheLocalRun_expectationValid() throws Exception {
    Map<String, String> values = new HashMap<>();
    template().definitionSubstitutions(PipelineSettings.STATE_MACHINE_ID).forEach((k, v) -> values.put(k, String.valueOf(v)));
    values.putAll(PipelineSettings.LOCAL_NUMBERS);
    values.putAll(PipelineSettings.LOCAL_RETRY_NUMBERS);
    for (PipelineSettings.Function function : PipelineSettings.FUNCTIONS) {
      values.put(function.logicalId().replace("Function", "FunctionArn"),
          "arn:aws:lambda:us-east-1:123456789012:function:" + function.name() + ":live");
    }

    assertValid(LocalPipeline.renderDefinition(ROOT, values));
  }

  @Test
  void fleetSubstitutions_whenAslRendered_expectationEveryPlaceholderHasOneAndNoneIsUnused() throws IOException {
    String definition = Files.readString(ROOT.resolve(LocalFleet.ASL_FILE));
    Set<String> placeholders = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(definition);
    while (matcher.find()) {
      placeholders.add(matcher.group(1));
    }

    Set<String> substitutions = new TreeSet<>(template().definitionSubstitutions(LocalFleet.STATE_MACHINE_ID).keySet());

    assertThat(placeholders).contains("FleetMaxConcurrency", "FleetToleratedFailurePercentage", "ScanStateMachineArn");
    assertThat(substitutions).isEqualTo(placeholders);
  }

  @Test
  void fleetAslValidator_whenRenderedWithProductionSubstitutions_expectationValid() throws Exception {
    assertValid(LocalPipeline.renderDefinition(ROOT, LocalFleet.ASL_FILE,
        productionSubstitutions(LocalFleet.STATE_MACHINE_ID)));
  }

  @Test
  void fleetAslValidator_whenRenderedForTheLocalRun_expectationValid() throws Exception {
    Map<String, String> values = new HashMap<>();
    template().definitionSubstitutions(LocalFleet.STATE_MACHINE_ID).forEach((k, v) -> values.put(k, String.valueOf(v)));
    values.putAll(PipelineSettings.LOCAL_NUMBERS);
    values.putAll(PipelineSettings.LOCAL_RETRY_NUMBERS);
    values.putAll(LocalFleet.LOCAL_NUMBERS);
    values.put("ScanExecutionTimeoutSeconds", PipelineSettings.LOCAL_NUMBERS.get("ExecutionTimeoutSeconds"));
    for (PipelineSettings.Function function : LocalFleet.FUNCTIONS) {
      values.put(function.logicalId().replace("Function", "FunctionArn"),
          "arn:aws:lambda:us-east-1:123456789012:function:" + function.name() + ":live");
    }
    values.put("ScanStateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:qualys-lambda-scanner");
    values.put("FindingsTopicArn", "arn:aws:sns:us-east-1:123456789012:qualys-lambda-scanner-findings");
    values.put("ResultsBucketName", "qualys-lambda-scanner-results-123456789012-us-east-1");

    assertValid(LocalPipeline.renderDefinition(ROOT, LocalFleet.ASL_FILE, values));
  }

  @Test
  void cfnLint_whenTemplateLinted_expectationNoFinding() throws Exception {
    String cfnLint = System.getProperty("cfn.lint", "cfn-lint");

    Result result = run(List.of(cfnLint, "template.yaml"), "cfn-lint (pip install cfn-lint; -Dcfn.lint=<path>)");

    assertThat(result.output()).as("cfn-lint findings").isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void cfnLint_whenOtherTemplatesLinted_expectationNoFinding() throws Exception {
    String cfnLint = System.getProperty("cfn.lint", "cfn-lint");
    List<String> command = new ArrayList<>(List.of(cfnLint));
    try (var files = Files.list(ROOT.resolve("templates"))) {
      files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> command.add(ROOT.relativize(f).toString()));
    }
    assertThat(command).as("templates/*.yaml").hasSizeGreaterThan(1).anyMatch(f -> f.endsWith("spoke.yaml"));

    Result result = run(command, "cfn-lint (pip install cfn-lint; -Dcfn.lint=<path>)");

    assertThat(result.output()).as("cfn-lint findings").isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  /** The three rules that feed the pipeline: the SAM event, the hub bus rule, the spokes' forwarding rule. */
  static List<Arguments> patterns() {
    return List.of(
        Arguments.of("template.yaml ScanStateMachine Events LambdaChange"),
        Arguments.of("template.yaml HubLambdaChangeRule"),
        Arguments.of("templates/spoke.yaml ForwardLambdaChangesRule"));
  }

  static Map<String, Object> pattern(String which) {
    Map<String, Object> pattern = switch (which) {
      case "template.yaml ScanStateMachine Events LambdaChange" ->
          template().eventPattern(PipelineSettings.STATE_MACHINE_ID, "LambdaChange");
      case "template.yaml HubLambdaChangeRule" ->
          Template.map(template().properties("HubLambdaChangeRule").get("EventPattern"));
      case "templates/spoke.yaml ForwardLambdaChangesRule" ->
          Template.map(Template.read(ROOT.resolve("templates/spoke.yaml")).properties("ForwardLambdaChangesRule")
              .get("EventPattern"));
      default -> throw new IllegalArgumentException(which);
    };
    assertThat(pattern).as(which + " EventPattern").isNotEmpty();
    return pattern;
  }

  @Test
  void eventPatterns_whenCompared_expectationAllThreeEqual() {
    Map<String, Object> main = pattern("template.yaml ScanStateMachine Events LambdaChange");

    assertThat(pattern("template.yaml HubLambdaChangeRule")).isEqualTo(main);
    assertThat(pattern("templates/spoke.yaml ForwardLambdaChangesRule")).isEqualTo(main);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void eventPattern_whenVersionedChangeEvents_expectationMatched(String which) throws Exception {
    Machine machine = machine(pattern(which));
    String updateCode = Samples.text(Samples.events().resolve("eventbridge/update-function-code.json"));

    for (String name : List.of("CreateFunction20150331", "UpdateFunctionCode20150331v2",
        "UpdateFunctionConfiguration20150331v2")) {
      assertThat(machine.rulesForJSONEvent(updateCode.replace("\"UpdateFunctionCode20150331v2\"", "\"" + name + "\"")))
          .as(name).containsExactly("LambdaChange");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void eventPattern_whenFailedCallOrOtherApi_expectationNotMatched(String which) throws Exception {
    Machine machine = machine(pattern(which));
    String updateCode = Samples.text(Samples.events().resolve("eventbridge/update-function-code.json"));

    assertThat(machine.rulesForJSONEvent(Samples.text(Samples.events().resolve("eventbridge/failed-call.json"))))
        .as("failed call (errorCode)").isEmpty();
    for (String other : List.of("CreateFunctionUrlConfig20211031", "DeleteFunction20150331")) {
      assertThat(machine.rulesForJSONEvent(updateCode.replace("\"UpdateFunctionCode20150331v2\"", "\"" + other + "\"")))
          .as(other).isEmpty();
    }
  }

  @Test
  void eventRule_whenLambdaChangeEvents_expectationMatched() throws Exception {
    Machine machine = machine();

    for (String sample : List.of("create-function.json", "create-function-image.json", "update-function-code.json",
        "update-function-configuration.json", "update-function-configuration-env-only.json")) {
      String event = Samples.text(Samples.events().resolve("eventbridge").resolve(sample));
      assertThat(machine.rulesForJSONEvent(event)).as(sample).containsExactly("LambdaChange");
    }
  }

  @Test
  void eventRule_whenFailedCallOtherApiOrOtherService_expectationNotMatched() throws Exception {
    Machine machine = machine();
    String updateCode = Samples.text(Samples.events().resolve("eventbridge/update-function-code.json"));

    assertThat(machine.rulesForJSONEvent(Samples.text(Samples.events().resolve("eventbridge/failed-call.json"))))
        .as("failed call (errorCode)").isEmpty();
    assertThat(machine.rulesForJSONEvent(
        updateCode.replace("\"UpdateFunctionCode20150331v2\"", "\"DeleteFunction20150331\""))).as("DeleteFunction")
        .isEmpty();
    assertThat(machine.rulesForJSONEvent(
        updateCode.replace("\"UpdateFunctionCode20150331v2\"", "\"CreateFunctionUrlConfig20211031\"")))
        .as("CreateFunctionUrlConfig").isEmpty();
    assertThat(machine.rulesForJSONEvent(updateCode
        .replace("\"source\": \"aws.lambda\"", "\"source\": \"aws.s3\"")
        .replace("\"lambda.amazonaws.com\"", "\"s3.amazonaws.com\"")
        .replace("\"UpdateFunctionCode20150331v2\"", "\"PutObject\""))).as("an S3 event").isEmpty();
  }

  private static Machine machine() throws Exception {
    return machine(pattern("template.yaml ScanStateMachine Events LambdaChange"));
  }

  private static Machine machine(Map<String, Object> pattern) throws Exception {
    Machine machine = Machine.builder().build();
    machine.addRule("LambdaChange", Samples.JSON.writeValueAsString(pattern));
    return machine;
  }

  private static void assertValid(String definition) throws Exception {
    String validator = System.getProperty("asl.validator", "asl-validator");
    if (validator.contains("/") && !Files.isExecutable(Path.of(validator))) {
      fail("asl-validator not found at " + validator + ": run npm ci at the project root, or pass -Dasl.validator=<path>");
    }
    Path file = Files.createTempFile("scan-pipeline-", ".asl.json");
    try {
      Files.writeString(file, definition);
      Result result = run(List.of(validator, "--json-path", file.toString()),
          "asl-validator (npm ci; -Dasl.validator=<path>)");
      assertThat(result.exitCode()).as(result.output()).isZero();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, String what) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + what + ": " + e.getMessage(), e);
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(what + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
  }
}
