package com.qualys.lambdascanner.local;

import com.qualys.lambdascanner.emulator.LambdaFunction;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.local.PipelineSettings.Function;
import com.qualys.lambdascanner.local.PipelineSettings.Options;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The functions a {@link LocalPipeline} runs in {@link LocalLambda}: each one's local environment (the contract's
 * variables with this run's resources and the options' changes), its registration as the template configures it,
 * and recycling its runtimes.
 */
final class LocalFunctions {

  /** run-qscanner's local budget: the "hang" scenario times out in half a minute, not five. */
  static final int SCAN_TIMEOUT_SECONDS = 20;
  static final int SCAN_SAFETY_MARGIN_SECONDS = 5;
  static final int RUN_QSCANNER_TIMEOUT_SECONDS = 60;
  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  private final Path projectRoot;
  private final String account;
  private final String region;
  private final Options options;
  private final LocalLambda lambda;
  private final LocalClients clients;
  private final PipelineResources resources;
  private final Path qscanner;
  private final Map<String, LambdaFunction> registered = new ConcurrentHashMap<>();
  private LocalAuthorization authorization;

  LocalFunctions(Path projectRoot, String account, String region, Options options, LocalLambda lambda,
      LocalClients clients, PipelineResources resources, Path qscanner) {
    this.projectRoot = projectRoot;
    this.account = account;
    this.region = region;
    this.options = options;
    this.lambda = lambda;
    this.clients = clients;
    this.resources = resources;
    this.qscanner = qscanner;
  }

  /** The run's IAM: each function runs as its own role (set before any function is registered). */
  void authorization(LocalAuthorization authorization) {
    this.authorization = authorization;
  }

  /** Registers the pipeline's five functions. */
  void registerAll() {
    Optional<Template> template = Template.find(projectRoot);
    for (Function function : PipelineSettings.FUNCTIONS) {
      register(function, environment(function), template);
    }
  }

  /**
   * Registers a function package beside the pipeline's five (the fleet's), as they are: the template's Handler,
   * MemorySize and Timeout, session credentials of the run's role, this run's account and region.
   */
  void register(Function function, Map<String, String> environment) {
    register(function, environment, Template.find(projectRoot));
  }

  private void register(Function function, Map<String, String> variables, Optional<Template> template) {
    String handler = template.flatMap(t -> t.handler(function.logicalId())).orElse(function.defaultHandler());
    int memory = template.flatMap(t -> t.intProperty(function.logicalId(), "MemorySize")).orElse(512);
    int timeout = function.name().equals("run-qscanner")
        ? RUN_QSCANNER_TIMEOUT_SECONDS
        : template.flatMap(t -> t.intProperty(function.logicalId(), "Timeout")).orElse(function.defaultTimeout());
    Map<String, String> env = new LinkedHashMap<>(variables);
    if (function.name().equals("run-qscanner")) {
      // As template.yaml: the role qscanner runs as (!GetAtt ScanRole.Arn).
      env.putIfAbsent("SCAN_ROLE_ARN", authorization.role("ScanRole"));
    }
    // A SnapStart function primes at init, as before Lambda's snapshot; an option may say otherwise.
    if (template.map(t -> SnapStart.enabled(t, function.logicalId())).orElse(false)) {
      env.putIfAbsent(SnapStart.INITIALIZATION_TYPE, SnapStart.SNAP_START);
    }
    // The JVM options the template gives every function (the JVM reads them from its environment, as in Lambda).
    template.flatMap(t -> t.environmentVariable(function.logicalId(), JAVA_TOOL_OPTIONS))
        .ifPresent(options -> env.putIfAbsent(JAVA_TOOL_OPTIONS, options));
    // As in Lambda, each function runs with session credentials of its own role (moto: they act in its account); the
    // emulator checks that the role's trust lets Lambda assume it (LocalLambda#register).
    String role = authorization.functionRole(function);
    var session = clients.functionCredentials(role, function.name());
    env.put("AWS_ACCESS_KEY_ID", session.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", session.secretAccessKey());
    env.put("AWS_SESSION_TOKEN", session.sessionToken());
    boolean image = function.name().equals("run-qscanner") && options.scannerImage() != null;
    if (image) {
      // As the template's image function: the scanner in the image (its stand-in plays this run's scenarios).
      env.put("QSCANNER_PATH", ScannerImage.QSCANNER);
    }
    LambdaFunction definition = LambdaFunction.of(function.name(), handler,
            image ? options.scannerImage() : function.zip(projectRoot))
        .withMounts(image ? Map.of(qscanner.resolveSibling("scenarios.json"), ScannerImage.SCENARIOS) : Map.of())
        .withEnvironment(env)
        .withTimeoutSeconds(timeout)
        .withMemorySize(memory)
        .withMaxConcurrency(options.maxConcurrency())
        .withLocation(region, account)
        .withRole(role);
    registered.put(function.name(), definition);
    lambda.register(definition);
  }

  /**
   * Stops the function's runtimes, as Lambda does when it recycles a sandbox, the next runtime with these variables
   * over the function's own: the next invocation (or {@link LocalLambda#warm}) starts a fresh JVM and runs the
   * function's initialisation again.
   */
  void recycle(String functionName, Map<String, String> environment) {
    LambdaFunction definition = definition(functionName);
    Map<String, String> env = new LinkedHashMap<>(definition.environment());
    env.putAll(environment);
    lambda.register(definition.withEnvironment(env));
  }

  /** The function as registered (handler, package, variables): the cold-start benchmark copies it. */
  LambdaFunction definition(String functionName) {
    LambdaFunction definition = registered.get(functionName);
    if (definition == null) {
      throw new IllegalArgumentException("no such function: " + functionName);
    }
    return definition;
  }

  /** The variables of the contract, with this run's resources and the options' changes. */
  Map<String, String> environment(Function function) {
    Map<String, String> env = new LinkedHashMap<>(contractEnvironment(function));
    if (options.hub() && List.of("resolve-target", "fetch-credentials", "run-qscanner").contains(function.name())) {
      env.put("SPOKE_ROLE_NAME", options.spokeRoleName());
      env.put("SPOKE_EXTERNAL_ID", options.spokeExternalId() == null ? "" : options.spokeExternalId());
    }
    env.putAll(options.environment().getOrDefault(function.name(), Map.of()));
    if (options.hub() && function.name().equals("store-results") && "true".equals(env.get("SECURITY_HUB_EXPORT"))) {
      // As template.yaml: the export imports a spoke function's findings through the spoke role.
      env.put("SPOKE_ROLE_NAME", options.spokeRoleName());
      env.put("SPOKE_EXTERNAL_ID", options.spokeExternalId() == null ? "" : options.spokeExternalId());
    }
    return env;
  }

  private Map<String, String> contractEnvironment(Function function) {
    String bucket = resources.bucket();
    String secretArn = resources.secretArn();
    return switch (function.name()) {
      case "resolve-target" -> Map.of(
          "RESULTS_BUCKET", bucket,
          "EXCLUDE_TAG_KEY", "QualysScan",
          "EXCLUDE_NAME_PATTERN", "",
          "DEDUP_TTL_SECONDS", "3600",
          // As template.yaml: the scanner's own functions by name in its account and region, the opt-out policy.
          "SCANNER_ACCOUNT_ID", account,
          "SCANNER_FUNCTION_NAMES", ownFunctionNames(List.of()),
          "HONOUR_OPT_OUT_TAGS", "true",
          "OPT_OUT_ACCOUNT_IDS", "");
      case "fetch-credentials" -> Map.of("QUALYS_SECRET_ARN", secretArn, "QUALYS_POD", "US1");
      case "run-qscanner" -> Map.ofEntries(
          Map.entry("RESULTS_BUCKET", bucket),
          Map.entry("QUALYS_SECRET_ARN", secretArn),
          Map.entry("QSCANNER_PATH", qscanner.toString()),
          Map.entry("QSCANNER_MODE", "get-report"),
          Map.entry("QSCANNER_POLICY_TAGS", ""),
          Map.entry("QSCANNER_SCAN_TYPES", "pkg,secret"),
          Map.entry("QSCANNER_SBOM_FORMATS", "cyclonedx"),
          Map.entry("SCAN_TIMEOUT_SECONDS", Integer.toString(SCAN_TIMEOUT_SECONDS)),
          Map.entry("SCAN_SAFETY_MARGIN_SECONDS", Integer.toString(SCAN_SAFETY_MARGIN_SECONDS)),
          Map.entry("QSCANNER_LOG_LEVEL", "info"));
      case "store-results" -> Map.of("RESULTS_BUCKET", bucket, "SUPPRESSION_LIST_KEY",
          PipelineSettings.SUPPRESSION_LIST_KEY,
          "QUARANTINE_ON_DENY", "false", "SECURITY_HUB_EXPORT", "false", "SPOKE_ROLE_NAME", "",
          "SPOKE_EXTERNAL_ID", "",
          // As template.yaml: all but resolve-target (a cycle there) and itself (AWS_LAMBDA_FUNCTION_NAME).
          "SCANNER_FUNCTION_NAMES", ownFunctionNames(List.of("resolve-target", "store-results")));
      case "notify" -> Map.of("TOPIC_ARN", resources.topicArn(), "EVENT_BUS_NAME", "", "ALERT_ON_NEW_ONLY", "0",
          "CHAT_TOPIC_ARN", "", "CHAT_MIN_SEVERITY", "4");
      default -> throw new IllegalArgumentException(function.name());
    };
  }

  /** The stack's function names, the pipeline's and the fleet's (as template.yaml lists them), but the left-out. */
  static String ownFunctionNames(List<String> leftOut) {
    return String.join(",", Stream.concat(PipelineSettings.FUNCTIONS.stream(), LocalFleet.FUNCTIONS.stream())
        .map(Function::name).filter(name -> !leftOut.contains(name)).toList());
  }
}
