package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * template.yaml's dashboard against what the functions really write: a fleet run over events/fleet/fleet.json (its
 * scans through the real scan state machine, Security Hub export on) fills the functions' logs under the real
 * runtime; then every metric widget must name a namespace, metric and dimensions an EMF line declared (or Lambda's
 * own metric of one of the stack's functions), and every Logs Insights query only fields that the JSON lines of the
 * log group it reads carry at their top level, where Logs Insights discovers them.
 */
class DashboardIT {

  private static final Set<String> INSIGHTS_WORDS = Set.of("source", "fields", "filter", "stats", "sort", "limit",
      "by", "as", "desc", "asc", "and", "or", "not", "like", "in", "display", "parse", "dedup");

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
      PipelineSettings.Options.defaults()
          .withEnvironment("store-results", "SECURITY_HUB_EXPORT", "true")
          .withHub(PipelineSettings.SPOKE_ROLE_NAME, PipelineSettings.SPOKE_EXTERNAL_ID)
          .withMaxConcurrency(3));
  @InjectPipeline private static LocalPipeline pipeline;
  private static Map<String, List<JsonNode>> logLines;
  private static Template template;

  @BeforeAll
  static void runFleet() throws IOException {
    template = Template.read(Samples.projectRoot().resolve("template.yaml"));
    FleetSpec spec = FleetSpec.parse(Samples.json(Samples.text(Samples.projectRoot().resolve(FleetRun.DEFAULT_FLEET))));
    LocalFleet.FleetReport report = LocalFleet.start(pipeline, spec, "P7D", Map.of()).run(Duration.ofMinutes(15));
    assertThat(report.status()).as(report.states().toString()).isEqualTo("SUCCEEDED");
    logLines = new HashMap<>();
    try (Stream<Path> logs = Files.list(pipeline.logs())) {
      for (Path log : logs.toList()) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("{")) {
            lines.add(Samples.json(line));
          }
        }
        logLines.put(log.getFileName().toString().replaceFirst("\\.log$", ""), lines);
      }
    }
  }

  @Test
  void metricWidgets_whenComparedWithTheEmfTheFunctionsWrote_expectationEachMetricEmittedWithItsDimensions() {
    Set<String> emitted = new TreeSet<>();
    logLines.values().forEach(lines -> lines.forEach(line -> line.path("_aws").path("CloudWatchMetrics")
        .forEach(directive -> directive.path("Metrics").forEach(metric -> directive.path("Dimensions")
            .forEach(dimensions -> emitted.add(key(directive.path("Namespace").asText(),
                metric.path("Name").asText(), names(dimensions))))))));
    assertThat(emitted).as("EMF declared by the runs").contains(key("QualysLambdaScanner", "CoveragePercent", List.of()),
        key("QualysLambdaScanner", "SecurityHubExportFailures", List.of()));
    Set<String> functions = resourcesOfType("AWS::Serverless::Function");

    List<String> checked = new ArrayList<>();
    for (JsonNode widget : dashboard().path("widgets")) {
      for (JsonNode metric : widget.path("properties").path("metrics")) {
        List<String> parts = new ArrayList<>();
        metric.forEach(p -> {
          if (p.isTextual()) {
            parts.add(p.asText());
          }
        });
        String namespace = parts.get(0);
        List<String> dimensionNames = new ArrayList<>();
        for (int i = 2; i + 1 < parts.size(); i += 2) {
          dimensionNames.add(parts.get(i));
        }
        String title = widget.path("properties").path("title").asText();
        if (namespace.equals("AWS/Lambda")) {
          assertThat(dimensionNames).as(title).containsExactly("FunctionName");
          assertThat(parts.get(3)).as(title + ": one of the stack's functions").matches("\\$\\{[A-Za-z]+}")
              .satisfies(v -> assertThat(functions).containsAll(referencedResources(v.substring(2, v.length() - 1))));
        } else {
          assertThat(emitted).as(title).contains(key(namespace, parts.get(1), dimensionNames));
        }
        checked.add(parts.get(1));
      }
    }
    assertThat(checked).contains("CoveragePercent", "ScansCompleted", "ScanFailures", "FindingsUrgent",
        "ScanDurationMs", "Throttles", "SecurityHubExportFailures", "ScansAtRiskCritical");
  }

  @Test
  void logWidgets_whenComparedWithTheJsonLogs_expectationEveryFieldLoggedByTheGroupsFunction() {
    Map<String, String> logGroups = logGroupsByName();
    int queries = 0;
    for (JsonNode widget : dashboard().path("widgets")) {
      if (!widget.path("type").asText().equals("log")) {
        continue;
      }
      String query = widget.path("properties").path("query").asText();
      Matcher source = Pattern.compile("^SOURCE '([^']+)'").matcher(query);
      assertThat(source.find()).as(query).isTrue();
      String group = source.group(1);
      assertThat(logGroups).as("a log group of the template").containsKey(group);
      String function = group.substring(group.lastIndexOf('/') + 1);
      List<JsonNode> lines = logLines.getOrDefault(function, List.of());
      assertThat(lines).as(function + " wrote JSON lines").isNotEmpty();
      for (String field : fields(query.substring(source.end()))) {
        assertThat(lines).as(field + " in a JSON line of " + function).anyMatch(line -> line.has(field));
      }
      queries++;
    }
    assertThat(queries).isPositive();
  }

  @Test
  void fields_whenQueryNamesAFieldNoLineHas_expectationItIsAmongTheFieldsChecked() {
    assertThat(fields("| filter ispresent(FindingsUrgnet) | stats latest(scanId) as last by functionName"))
        .containsExactly("FindingsUrgnet", "scanId", "functionName");
    assertThat(logLines.get("store-results")).noneMatch(line -> line.has("FindingsUrgnet"));
  }

  /** The query's field names: words that are neither Logs Insights syntax, a function, an alias nor a literal. */
  static Set<String> fields(String query) {
    String code = query.replaceAll("'[^']*'|\"[^\"]*\"|/[^/|]*/", " ");
    Set<String> aliases = new LinkedHashSet<>();
    Matcher alias = Pattern.compile("\\bas\\s+([A-Za-z_][A-Za-z0-9_]*)").matcher(code);
    while (alias.find()) {
      aliases.add(alias.group(1));
    }
    Set<String> fields = new LinkedHashSet<>();
    Matcher word = Pattern.compile("@?[A-Za-z_][A-Za-z0-9_.]*(\\s*\\()?").matcher(code);
    while (word.find()) {
      String w = word.group().replaceAll("[\\s(]", "");
      if (word.group(1) == null && !w.startsWith("@") && !INSIGHTS_WORDS.contains(w.toLowerCase())
          && !aliases.contains(w)) {
        fields.add(w);
      }
    }
    return fields;
  }

  private static String key(String namespace, String name, List<String> dimensions) {
    return namespace + " " + name + " " + new TreeSet<>(dimensions);
  }

  private static List<String> names(JsonNode dimensions) {
    List<String> names = new ArrayList<>();
    dimensions.forEach(d -> names.add(d.asText()));
    return names;
  }

  /**
   * The dashboard body as JSON: the stack's name and region filled in, references (${ScannerFunctionName}, the zip or
   * image Run QScanner) kept. The body is {@code !Sub [text, {variables}]}.
   */
  private static JsonNode dashboard() {
    Object sub = Template.map(template.properties("Dashboard").get("DashboardBody")).get("Fn::Sub");
    String text = (String) (sub instanceof List<?> form ? form.get(0) : sub);
    return Samples.json(text.replace("${AWS::Region}", PipelineSettings.DEFAULT_REGION)
        .replace("${AWS::StackName}", "qualys-lambda-scanner"));
  }

  /**
   * The resources a ${name} of the dashboard body stands for: a variable of its !Sub (e.g. ScannerFunctionName, an
   * !If between the zip and the image Run QScanner) names every resource it may resolve to; any other name is itself.
   */
  private static List<String> referencedResources(String name) {
    Object sub = Template.map(template.properties("Dashboard").get("DashboardBody")).get("Fn::Sub");
    if (!(sub instanceof List<?> form) || !(form.get(1) instanceof Map<?, ?> variables)
        || !variables.containsKey(name)) {
      return List.of(name);
    }
    List<String> refs = new ArrayList<>();
    collectRefs(variables.get(name), refs);
    assertThat(refs).as("${" + name + "} names a resource").isNotEmpty();
    return refs;
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if ("Ref".equals(key) && value instanceof String ref) {
          refs.add(ref);
        } else {
          collectRefs(value, refs);
        }
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectRefs(item, refs));
    }
  }

  /** Log group names of the template (stack name qualys-lambda-scanner) to their logical ids. */
  private static Map<String, String> logGroupsByName() {
    Map<String, String> groups = new HashMap<>();
    for (String id : resourcesOfType("AWS::Logs::LogGroup")) {
      Object name = template.properties(id).get("LogGroupName");
      if (name instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String text) {
        groups.put(text.replace("${AWS::StackName}", "qualys-lambda-scanner"), id);
      }
    }
    return groups;
  }

  private static Set<String> resourcesOfType(String type) {
    Set<String> ids = new TreeSet<>();
    template.resources().forEach((id, r) -> {
      if (type.equals(Template.map(r).get("Type"))) {
        ids.add(id);
      }
    });
    return ids;
  }
}
