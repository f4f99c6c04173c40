package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.LambdaFunction;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The whole pipeline on this machine: moto for S3, SNS, SQS, Secrets Manager, Lambda's control plane and Step
 * Functions (its ASL interpreter runs the real state machine), and {@link LocalLambda} running the five real function
 * packages, each in its own JVM through the AWS Lambda Runtime Interface Client.
 *
 * <p>The trick that joins them: moto's interpreter invokes Lambda at {@code http://localhost:$MOTO_PORT}; moto is
 * started with {@code MOTO_PORT} = LocalLambda's port, and LocalLambda forwards everything but Invoke back to moto.
 */
public final class LocalPipeline implements AutoCloseable {

  public static final String DEFAULT_ACCOUNT = "123456789012";
  public static final String DEFAULT_REGION = "us-east-1";
  public static final String STATE_MACHINE_ID = "ScanStateMachine";
  public static final String STATE_MACHINE_NAME = "qualys-lambda-scanner";
  public static final String ALIAS = "live";

  /**
   * One of the pipeline's functions.
   *
   * @param logicalId its logical id in template.yaml
   * @param module its module folder under functions/
   * @param defaultHandler the Handler string of the contract, used when template.yaml does not say
   * @param defaultTimeout seconds, when template.yaml does not say
   */
  public record Function(String logicalId, String module, String defaultHandler, int defaultTimeout) {

    /** The local function name: the module name, as in the logs folder. */
    public String name() {
      return module;
    }

    public Path zip(Path projectRoot) {
      return projectRoot.resolve("functions").resolve(module).resolve("target/function.zip");
    }
  }

  public static final List<Function> FUNCTIONS = List.of(
      new Function("ResolveTargetFunction", "resolve-target",
          "com.qualys.lambdascanner.resolve.ResolveTargetHandler::handleRequest", 60),
      new Function("FetchCredentialsFunction", "fetch-credentials",
          "com.qualys.lambdascanner.credentials.FetchCredentialsHandler::handleRequest", 30),
      new Function("RunQScannerFunction", "run-qscanner",
          "com.qualys.lambdascanner.scan.RunQScannerHandler::handleRequest", 60),
      new Function("StoreResultsFunction", "store-results",
          "com.qualys.lambdascanner.store.StoreResultsHandler::handleRequest", 60),
      new Function("NotifyFunction", "notify", "com.qualys.lambdascanner.notify.NotifyHandler::handleRequest", 30));

  /**
   * How a test (or {@code MODE=hub}) wants the pipeline to differ from the plain local run.
   *
   * @param substitutions DefinitionSubstitutions over {@link #LOCAL_NUMBERS} (e.g. a shorter
   *     {@code ScanTaskTimeoutSeconds}); the ASL file is the same
   * @param environment per function name, variables over the contract's ones (e.g. {@code EXCLUDE_NAME_PATTERN},
   *     {@code SCAN_TIMEOUT_SECONDS})
   * @param maxConcurrency runtimes per function (Lambda's reserved concurrency); on two cores fewer JVMs start faster
   * @param spokeRoleName hub mode: {@code SPOKE_ROLE_NAME} of resolve-target, fetch-credentials and run-qscanner, so
   *     targets in other accounts or regions are read through that role; null for single-account mode
   * @param spokeExternalId hub mode: {@code SPOKE_EXTERNAL_ID}
   */
  public record Options(
      Map<String, String> substitutions,
      Map<String, Map<String, String>> environment,
      int maxConcurrency,
      String spokeRoleName,
      String spokeExternalId) {

    public Options {
      substitutions = Map.copyOf(substitutions);
      environment = Map.copyOf(environment);
    }

    public static Options defaults() {
      return new Options(Map.of(), Map.of(), 10, null, null);
    }

    public Options withSubstitution(String key, String value) {
      Map<String, String> values = new HashMap<>(substitutions);
      values.put(key, value);
      return new Options(values, environment, maxConcurrency, spokeRoleName, spokeExternalId);
    }

    public Options withEnvironment(String function, String key, String value) {
      Map<String, Map<String, String>> values = new HashMap<>(environment);
      Map<String, String> own = new HashMap<>(values.getOrDefault(function, Map.of()));
      own.put(key, value);
      values.put(function, own);
      return new Options(substitutions, values, maxConcurrency, spokeRoleName, spokeExternalId);
    }

    public Options withMaxConcurrency(int value) {
      return new Options(substitutions, environment, value, spokeRoleName, spokeExternalId);
    }

    /** Hub mode: the three functions that read targets assume {@code roleName} in the target's account. */
    public Options withHub(String roleName, String externalId) {
      return new Options(substitutions, environment, maxConcurrency, roleName, externalId);
    }

    public boolean hub() {
      return spokeRoleName != null && !spokeRoleName.isBlank();
    }
  }

  /** Hub mode's spoke role name and external id, as templates/spoke.yaml would create them. */
  /** Where Store Results reads the suppression list (the template's SuppressionListKey default). */
  public static final String SUPPRESSION_LIST_KEY = "config/suppressions.json";

  public static final String SPOKE_ROLE_NAME = "qualys-lambda-scanner-spoke";
  public static final String SPOKE_EXTERNAL_ID = "local-external-id-3f1c9a0e5b7d";
  /** Hub mode's spoke: the account and region the target function lives in. */
  public static final String SPOKE_ACCOUNT = "210987654321";
  public static final String SPOKE_REGION = "eu-west-1";

  /** The short values the local state machine runs with: retries really sleep in moto. */
  public static final Map<String, String> LOCAL_NUMBERS = Map.of(
      "LambdaRetryIntervalSeconds", "1",
      "LambdaRetryMaxAttempts", "3",
      "TaskRetryIntervalSeconds", "1",
      "TaskRetryMaxAttempts", "2",
      "RetryMaxDelaySeconds", "2",
      // A cold runtime on a busy two-core machine needs seconds; the state timeouts sit above the functions' own.
      "ShortTaskTimeoutSeconds", "90",
      "ScanTaskTimeoutSeconds", "120",
      "ExecutionTimeoutSeconds", "600");

  /**
   * The SnapStart and throttle retriers' local values, over {@link #LOCAL_NUMBERS}: three quick SnapStart retries;
   * 20 throttle retries of up to 4 s (ServiceLimitsIT's burst raises the attempts: Burst).
   */
  public static final Map<String, String> LOCAL_RETRY_NUMBERS = Map.of(
      "SnapStartRetryIntervalSeconds", "1",
      "SnapStartRetryMaxAttempts", "3",
      "ThrottleRetryIntervalSeconds", "1",
      "ThrottleRetryMaxAttempts", "20",
      "ThrottleRetryMaxDelaySeconds", "4");

  /** run-qscanner's local budget: the "hang" scenario times out in half a minute, not five. */
  static final int SCAN_TIMEOUT_SECONDS = 20;
  static final int SCAN_SAFETY_MARGIN_SECONDS = 5;
  static final int RUN_QSCANNER_TIMEOUT_SECONDS = 60;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private final Path projectRoot;
  private final String account;
  private final String region;
  private final Path workDir;
  private final LocalLambda lambda;
  private final MotoServer moto;
  private final SdkHttpClient http = UrlConnectionHttpClient.builder()
      .socketTimeout(Duration.ofMinutes(2))
      .build();
  private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
  /** Secret keys and session tokens this class got from STS (the function runtimes' own credentials). */
  private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();
  private final Map<String, LambdaFunction> registered = new ConcurrentHashMap<>();
  private final Options options;
  private final List<String> stateMachines = new CopyOnWriteArrayList<>();
  /** Notifications read back for a scan other than the one asked for, kept for its own report. */
  private final Map<String, JsonNode> unclaimedMessages = new ConcurrentHashMap<>();
  private final AwsCredentialsProvider own;
  private final S3Client s3;
  private final SnsClient sns;
  private final SqsClient sqs;
  private final SfnClient sfn;
  private final LambdaClient lambdaControl;
  private final SecretsManagerClient secrets;

  private String bucket;
  private String topicArn;
  private String queueUrl;
  private String auditQueueUrl;
  private String secretArn;
  private String roleArn;
  private String stateMachineArn;
  private String token;
  private Path qscanner;

  private LocalPipeline(Path projectRoot, String account, String region, Path workDir, Options options) {
    this.options = options;
    this.projectRoot = projectRoot.toAbsolutePath().normalize();
    this.account = account;
    this.region = region;
    this.workDir = workDir;
    LocalLambda startedLambda = LocalLambda.start(workDir.resolve("lambda"));
    MotoServer startedMoto;
    try {
      startedMoto = MotoServer.start(startedLambda.port());
    } catch (RuntimeException e) {
      startedLambda.close();
      throw e;
    }
    this.lambda = startedLambda.forwardTo(startedMoto.endpoint());
    this.moto = startedMoto;
    this.own = credentialsFor(account);
    this.s3 = build(S3Client.builder().forcePathStyle(true), own);
    this.sns = build(SnsClient.builder(), own);
    this.sqs = build(SqsClient.builder(), own);
    this.sfn = build(SfnClient.builder(), own);
    this.lambdaControl = build(LambdaClient.builder(), own);
    this.secrets = build(SecretsManagerClient.builder(), own);
  }

  /**
   * Starts moto and LocalLambda, creates the pipeline's resources in the account and region, registers the five
   * functions and warms one runtime of each. The stand-in scanner runs {@code scenario} for every target until
   * {@link #scenarios} says otherwise.
   */
  public static LocalPipeline start(Path projectRoot, String account, String region, String scenario) {
    return start(projectRoot, account, region, scenario, Options.defaults());
  }

  /** As {@link #start(Path, String, String, String)}, with the differences {@code options} names. */
  public static LocalPipeline start(Path projectRoot, String account, String region, String scenario,
      Options options) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("local-pipeline-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalPipeline pipeline = new LocalPipeline(projectRoot, account, region, workDir, options);
    try {
      pipeline.provision(scenario);
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  private void provision(String scenario) {
    String suffix = account + "-" + region;
    bucket = "qualys-lambda-scanner-results-" + suffix;
    s3.createBucket(b -> {
      b.bucket(bucket);
      if (!region.equals("us-east-1")) {
        b.createBucketConfiguration(c -> c.locationConstraint(region));
      }
    });
    topicArn = sns.createTopic(b -> b.name("qualys-lambda-scanner-findings")).topicArn();
    queueUrl = sqs.createQueue(b -> b.queueName("qualys-lambda-scanner-findings-readback")).queueUrl();
    String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
    // A second subscriber nobody reads during the run: every message ever published, for the leak checks.
    auditQueueUrl = sqs.createQueue(b -> b.queueName("qualys-lambda-scanner-findings-audit")).queueUrl();
    String auditArn = sqs.getQueueAttributes(b -> b.queueUrl(auditQueueUrl)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(auditArn));
    token = "local-demo-token-" + UUID.randomUUID();
    secretArn = secrets.createSecret(b -> b.name("qualys-lambda-scanner/qualys")
        .secretString("{\"accessToken\": \"" + token + "\"}")).arn();
    roleArn = ensureRole(account);
    qscanner = copyScanner();
    scenarios(scenario, Map.of());
    registerFunctions();
    stateMachineArn = createStateMachine(STATE_MACHINE_NAME, Map.of());
    lambda.warm(FUNCTIONS.stream().map(Function::name).toArray(String[]::new));
  }

  private void registerFunctions() {
    Optional<Template> template = Template.find(projectRoot);
    for (Function function : FUNCTIONS) {
      register(function, environment(function), template);
    }
  }

  /**
   * Registers a function package beside the pipeline's five (the fleet's), as they are: the template's Handler,
   * MemorySize and Timeout, session credentials of the run's role, this run's account and region.
   */
  public void registerFunction(Function function, Map<String, String> environment) {
    register(function, environment, Template.find(projectRoot));
  }

  private void register(Function function, Map<String, String> variables, Optional<Template> template) {
    String handler = template.flatMap(t -> t.handler(function.logicalId())).orElse(function.defaultHandler());
    int memory = template.flatMap(t -> t.intProperty(function.logicalId(), "MemorySize")).orElse(512);
    int timeout = function.name().equals("run-qscanner")
        ? RUN_QSCANNER_TIMEOUT_SECONDS
        : template.flatMap(t -> t.intProperty(function.logicalId(), "Timeout")).orElse(function.defaultTimeout());
    Map<String, String> env = new LinkedHashMap<>(variables);
    // A SnapStart function primes at init, as before Lambda's snapshot; an option may say otherwise.
    if (template.map(t -> SnapStart.enabled(t, function.logicalId())).orElse(false)) {
      env.putIfAbsent(SnapStart.INITIALIZATION_TYPE, SnapStart.SNAP_START);
    }
    // As in Lambda, each function runs with session credentials of its own role (moto: they act in its account).
    var session = functionCredentials(function.name());
    env.put("AWS_ACCESS_KEY_ID", session.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", session.secretAccessKey());
    env.put("AWS_SESSION_TOKEN", session.sessionToken());
    LambdaFunction definition = LambdaFunction.of(function.name(), handler, function.zip(projectRoot))
        .withEnvironment(env)
        .withTimeoutSeconds(timeout)
        .withMemorySize(memory)
        .withMaxConcurrency(options.maxConcurrency())
        .withLocation(region, account);
    registered.put(function.name(), definition);
    lambda.register(definition);
  }

  /**
   * Stops the function's runtimes, as Lambda does when it recycles a sandbox: the next invocation (or
   * {@link LocalLambda#warm}) starts a fresh JVM and runs the function's initialisation again. For the cold-start
   * benchmark.
   */
  public void recycle(String functionName) {
    recycle(functionName, Map.of());
  }

  /**
   * As {@link #recycle(String)}, the next runtime with these variables over the function's own (the cold-start
   * benchmark starts a function both ways: {@code AWS_LAMBDA_INITIALIZATION_TYPE} on-demand and snap-start).
   */
  public void recycle(String functionName, Map<String, String> environment) {
    LambdaFunction definition = definition(functionName);
    Map<String, String> env = new LinkedHashMap<>(definition.environment());
    env.putAll(environment);
    lambda.register(definition.withEnvironment(env));
  }

  /** The function as registered (handler, package, variables): the cold-start benchmark copies it. */
  public LambdaFunction definition(String functionName) {
    LambdaFunction definition = registered.get(functionName);
    if (definition == null) {
      throw new IllegalArgumentException("no such function: " + functionName);
    }
    return definition;
  }

  private AwsSessionCredentials functionCredentials(String functionName) {
    StsClient sts = build(StsClient.builder(), own, Region.of(region));
    var assumed = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName(functionName)).credentials();
    issuedSecrets.add(assumed.secretAccessKey());
    issuedSecrets.add(assumed.sessionToken());
    return AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken());
  }

  /** The variables of the contract, with this run's resources and the options' changes. */
  public Map<String, String> environment(Function function) {
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
          Map.entry("QSCANNER_LOG_LEVEL", "info"),
          // As template.yaml's ScanRole: moto lets the function assume it (the role need not exist there).
          Map.entry("SCAN_ROLE_ARN", "arn:aws:iam::" + account + ":role/qualys-lambda-scanner/local-scan-role"));
      case "store-results" -> Map.of("RESULTS_BUCKET", bucket, "SUPPRESSION_LIST_KEY", SUPPRESSION_LIST_KEY,
          "QUARANTINE_ON_DENY", "false", "SECURITY_HUB_EXPORT", "false", "SPOKE_ROLE_NAME", "",
          "SPOKE_EXTERNAL_ID", "",
          // As template.yaml: all but resolve-target (a cycle there) and itself (AWS_LAMBDA_FUNCTION_NAME).
          "SCANNER_FUNCTION_NAMES", ownFunctionNames(List.of("resolve-target", "store-results")));
      case "notify" -> Map.of("TOPIC_ARN", topicArn, "EVENT_BUS_NAME", "", "ALERT_ON_NEW_ONLY", "0",
          "CHAT_TOPIC_ARN", "", "CHAT_MIN_SEVERITY", "4");
      default -> throw new IllegalArgumentException(function.name());
    };
  }

  /** The stack's function names, the pipeline's and the fleet's (as template.yaml lists them), but the left-out. */
  static String ownFunctionNames(List<String> leftOut) {
    return String.join(",", Stream.concat(FUNCTIONS.stream(), LocalFleet.FUNCTIONS.stream())
        .map(Function::name).filter(name -> !leftOut.contains(name)).toList());
  }

  /** The ASL's substitutions for this run: alias ARNs of the local functions, short numbers. */
  public Map<String, String> localSubstitutions() {
    Map<String, String> values = new HashMap<>();
    // Literal values of the template first (a setting added there works here too), then the local short ones.
    Template.find(projectRoot).ifPresent(t -> t.definitionSubstitutions(STATE_MACHINE_ID).forEach((key, value) -> {
      if (value instanceof String || value instanceof Number) {
        values.put(key, String.valueOf(value));
      }
    }));
    values.putAll(LOCAL_NUMBERS);
    values.putAll(LOCAL_RETRY_NUMBERS);
    values.putAll(options.substitutions());
    for (Function function : FUNCTIONS) {
      String key = function.logicalId().replace("Function", "FunctionArn");
      values.put(key, "arn:aws:lambda:" + region + ":" + account + ":function:" + function.name() + ":" + ALIAS);
    }
    return values;
  }

  /** statemachine/scan-pipeline.asl.json with every {@code ${...}} replaced; a missing value is an error. */
  public static String renderDefinition(Path projectRoot, Map<String, String> substitutions) {
    return renderDefinition(projectRoot, "statemachine/scan-pipeline.asl.json", substitutions);
  }

  /** An ASL file of the project (e.g. statemachine/fleet-scan.asl.json) with every {@code ${...}} replaced. */
  public static String renderDefinition(Path projectRoot, String aslFile, Map<String, String> substitutions) {
    String definition;
    try {
      definition = Files.readString(projectRoot.resolve(aslFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher placeholder = PLACEHOLDER.matcher(definition);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (placeholder.find()) {
      String value = substitutions.get(placeholder.group(1));
      if (value == null) {
        missing.add(placeholder.group(1));
        value = placeholder.group();
      }
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no substitution for " + missing);
    }
    return out.toString();
  }

  /**
   * The same event as if it came from another account and region (hub mode's spoke): every mention of the event's
   * account and region (envelope, ARNs, image URIs, CloudTrail's awsRegion) replaced.
   */
  public static JsonNode relocate(JsonNode event, String toAccount, String toRegion) {
    TargetSpec spec = TargetSpec.from(event, DEFAULT_ACCOUNT, DEFAULT_REGION);
    String fromAccount = event.path("account").asText(spec == null ? DEFAULT_ACCOUNT : spec.account());
    String fromRegion = event.path("region").asText(spec == null ? DEFAULT_REGION : spec.region());
    return parse(event.toString().replace(fromAccount, toAccount).replace(fromRegion, toRegion));
  }

  private String renderDefinition(Map<String, String> substitutions) {
    return renderDefinition(projectRoot, substitutions);
  }

  /**
   * Which scenario the stand-in scanner plays: {@code byFunction} maps a target function name to a scenario, the
   * rest get {@code defaultScenario}. Takes effect at the next scan (the scanner reads the file each run).
   */
  public void scenarios(String defaultScenario, Map<String, String> byFunction) {
    ObjectNode config = JSON.createObjectNode();
    config.put("default", defaultScenario);
    ObjectNode functions = config.putObject("functions");
    byFunction.forEach(functions::put);
    // Where the change-code scenario deploys the target's new code: this emulator.
    config.put("endpoint", moto.endpoint().toString());
    try {
      Files.writeString(qscanner.resolveSibling("scenarios.json"), JSON.writeValueAsString(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path copyScanner() {
    try {
      Path folder = Files.createDirectories(workDir.resolve("qscanner"));
      Path copy = folder.resolve("qscanner");
      Files.copy(projectRoot.resolve("local/qscanner/qscanner"), copy, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the stand-in scanner local/qscanner/qscanner", e);
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // The target function
  // ----------------------------------------------------------------------------------------------------------

  /**
   * The function an event or direct request names, as it would exist in the account: created in moto (with its
   * layers, as Zip or Image) unless it exists. A failed call's event (errorCode) names nothing to create.
   */
  public Optional<String> ensureTarget(JsonNode event) {
    TargetSpec spec = TargetSpec.from(event, account, region);
    if (spec == null) {
      return Optional.empty();
    }
    LambdaClient control = spec.account().equals(account) && spec.region().equals(region)
        ? lambdaControl
        : build(LambdaClient.builder(), credentialsFor(spec.account()), spec.region());
    try {
      control.getFunction(b -> b.functionName(spec.name()));
      return Optional.of(spec.name());
    } catch (ResourceNotFoundException absent) {
      // create it below
    }
    String role = ensureRole(spec.account());
    List<String> layers = new ArrayList<>();
    for (String layerArn : spec.layers()) {
      Matcher layer = Pattern.compile("^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):layer:([A-Za-z0-9_-]+):(\\d+)$")
          .matcher(layerArn);
      if (!layer.matches() || !layer.group(1).equals(spec.region()) || !layer.group(2).equals(spec.account())) {
        continue;
      }
      int wanted = Integer.parseInt(layer.group(4));
      long have = control.listLayerVersions(b -> b.layerName(layer.group(3))).layerVersions().size();
      String arn = null;
      for (long v = have; v < wanted; v++) {
        arn = control.publishLayerVersion(b -> b.layerName(layer.group(3))
            .content(c -> c.zipFile(SdkBytes.fromByteArray(tinyZip("java/lib/README.txt", "a local layer"))))
            .compatibleRuntimes(software.amazon.awssdk.services.lambda.model.Runtime.fromValue(spec.runtime())))
            .layerVersionArn();
      }
      layers.add(arn != null ? arn : layerArn);
    }
    control.createFunction(b -> {
      b.functionName(spec.name()).role(role).timeout(30).memorySize(512)
          .architectures(spec.architectures().stream()
              .map(software.amazon.awssdk.services.lambda.model.Architecture::fromValue).toList())
          .tags(spec.tagsWith("created-by", "local-pipeline"));
      if (spec.image()) {
        b.packageType(software.amazon.awssdk.services.lambda.model.PackageType.IMAGE)
            .code(c -> c.imageUri(spec.imageUri()));
      } else {
        b.packageType(software.amazon.awssdk.services.lambda.model.PackageType.ZIP)
            .runtime(spec.runtime())
            .handler(spec.handler())
            .layers(layers)
            .code(c -> c.zipFile(SdkBytes.fromByteArray(tinyZip("index.py", "def handler(event, context):\n    return event\n"))));
      }
    });
    if (spec.version() != null) {
      // moto numbers versions 1, 2, ... and publishes only after a change: one small change per version.
      for (int v = 1; v <= spec.version(); v++) {
        String description = "local version " + v;
        control.updateFunctionConfiguration(b -> b.functionName(spec.name()).description(description));
        control.publishVersion(b -> b.functionName(spec.name()));
      }
    }
    return Optional.of(spec.name());
  }

  private String ensureRole(String roleAccount) {
    IamClient iam = build(IamClient.builder(), credentialsFor(roleAccount), Region.AWS_GLOBAL);
    String name = "local-pipeline-role";
    try {
      return iam.getRole(b -> b.roleName(name)).role().arn();
    } catch (NoSuchEntityException absent) {
      return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument("""
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com",\
          "states.amazonaws.com"]},"Action":"sts:AssumeRole"}]}""")).role().arn();
    }
  }

  static byte[] tinyZip(String name, String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  // ----------------------------------------------------------------------------------------------------------
  // Executions
  // ----------------------------------------------------------------------------------------------------------

  /**
   * Another state machine from the same ASL file, with some substitutions changed (e.g. a shorter
   * {@code ScanTaskTimeoutSeconds}): its ARN, for {@link #execute(String, JsonNode, Duration)}.
   */
  public String createStateMachine(String name, Map<String, String> overrides) {
    Map<String, String> values = localSubstitutions();
    values.putAll(overrides);
    String arn = sfn.createStateMachine(b -> b.name(name).roleArn(roleArn).definition(renderDefinition(values)))
        .stateMachineArn();
    stateMachines.add(arn);
    return arn;
  }

  /** A state machine from another ASL file (the fleet's), rendered with exactly these substitutions. */
  public String createStateMachine(String name, String aslFile, Map<String, String> substitutions) {
    String definition = renderDefinition(projectRoot, aslFile, substitutions);
    String arn = sfn.createStateMachine(b -> b.name(name).roleArn(roleArn).definition(definition)).stateMachineArn();
    stateMachines.add(arn);
    return arn;
  }

  /** Every state machine of this run (the pipeline's and any {@link #createStateMachine} made). */
  public List<String> stateMachines() {
    return List.copyOf(stateMachines);
  }

  /**
   * Starts an execution with the event as its input and waits for its end (at most {@code limit}), then reads back
   * its record and its notification.
   */
  public ExecutionReport execute(JsonNode event, Duration limit) {
    return execute(stateMachineArn, event, limit);
  }

  public ExecutionReport execute(String machineArn, JsonNode event, Duration limit) {
    return await(start(machineArn, event), limit);
  }

  /** Starts an execution (named with a fresh UUID: the scan id) and returns its ARN without waiting. */
  public String start(String machineArn, JsonNode event) {
    String name = UUID.randomUUID().toString();
    return sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(event.toString())).executionArn();
  }

  /** Waits for the execution's end (at most {@code limit}) and reports it, with its record and notification. */
  public ExecutionReport await(String executionArn, Duration limit) {
    String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
    Instant giveUp = Instant.now().plus(limit);
    DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(executionArn));
    while (described.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(giveUp)) {
      sleep(200);
      described = sfn.describeExecution(b -> b.executionArn(executionArn));
    }
    List<JsonNode> history = history(executionArn);
    List<ExecutionReport.StateRun> states = ExecutionReport.states(history);
    JsonNode output = described.output() == null ? null : parse(described.output());
    JsonNode recordRef = recordReference(history);
    String recordBucket = recordRef == null ? null : recordRef.path("bucket").asText(null);
    String recordKey = recordRef == null ? null : recordRef.path("key").asText(null);
    JsonNode record = null;
    if (recordBucket != null && recordKey != null) {
      record = parse(s3.getObjectAsBytes(b -> b.bucket(recordBucket).key(recordKey)).asUtf8String());
    }
    Duration duration = Duration.between(described.startDate(),
        described.stopDate() == null ? Instant.now() : described.stopDate());
    boolean notified = states.stream().anyMatch(s -> s.name().startsWith("Notify") && s.status().equals("Succeeded"));
    return new ExecutionReport(executionArn, described.statusAsString(), duration, states, history, output,
        recordBucket, recordKey, record, notification(name, notified ? Duration.ofSeconds(10) : Duration.ofSeconds(2)));
  }

  /** Every event of the execution's history, as the API returns it (paged through). */
  public List<JsonNode> history(String executionArn) {
    List<JsonNode> events = new ArrayList<>();
    for (HistoryEvent event : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)
        .includeExecutionData(true).maxResults(1000)).events()) {
      events.add(SdkJson.toJson(event));
    }
    return events;
  }

  /** The {@code record} a Store Results or Record ... state put into the state: where the result went. */
  private static JsonNode recordReference(List<JsonNode> history) {
    JsonNode found = null;
    for (JsonNode event : history) {
      if (event.path("type").asText().equals("TaskStateExited")) {
        JsonNode details = event.path("stateExitedEventDetails");
        String name = details.path("name").asText();
        if (name.equals("Store Results") || name.startsWith("Record ")) {
          JsonNode output = parse(details.path("output").asText("{}"));
          if (output.path("record").isObject()) {
            found = output.path("record");
          }
        }
      }
    }
    return found;
  }

  /**
   * The SNS message for this scan (its Message names the scan id), read back from the queue subscribed to the
   * topic; null when none came within {@code wait}. Other scans' messages are kept for their own reports.
   */
  private synchronized JsonNode notification(String scanId, Duration wait) {
    Instant giveUp = Instant.now().plus(wait);
    do {
      for (Map.Entry<String, JsonNode> kept : unclaimedMessages.entrySet()) {
        if (kept.getValue().path("Message").asText().contains(scanId)) {
          unclaimedMessages.remove(kept.getKey());
          return kept.getValue();
        }
      }
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      for (Message message : messages) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        unclaimedMessages.put(message.messageId(), parse(message.body()));
      }
    } while (Instant.now().isBefore(giveUp));
    for (Map.Entry<String, JsonNode> kept : unclaimedMessages.entrySet()) {
      if (kept.getValue().path("Message").asText().contains(scanId)) {
        unclaimedMessages.remove(kept.getKey());
        return kept.getValue();
      }
    }
    return null;
  }

  /**
   * Every message published to the topic so far (the SQS bodies of the second subscription, which nothing else
   * reads): for the leak checks. Reading removes them from that queue.
   */
  public synchronized List<String> drainPublishedMessages() {
    List<String> bodies = new ArrayList<>();
    while (true) {
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(auditQueueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      if (messages.isEmpty()) {
        return bodies;
      }
      for (Message message : messages) {
        bodies.add(message.body());
        sqs.deleteMessage(b -> b.queueUrl(auditQueueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }

  /** Every execution of every state machine of this run. */
  public List<String> executions() {
    List<String> arns = new ArrayList<>();
    for (String machine : stateMachines) {
      sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions()
          .forEach(e -> arns.add(e.executionArn()));
    }
    return arns;
  }

  /** Keys of every object in the results bucket. */
  public List<String> resultObjects() {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  /** An object of the results bucket, as text. */
  public String resultObject(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  /**
   * Every secret the run handed out: the Qualys token, the secret keys and session tokens of the function runtimes,
   * and those STS issued to the functions (assumed roles) through LocalLambda.
   */
  public Set<String> secrets() {
    Set<String> all = new HashSet<>(issuedSecrets);
    all.addAll(lambda.issuedSecrets());
    all.add(token);
    return all;
  }

  public Options options() {
    return options;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // Clients and accounts
  // ----------------------------------------------------------------------------------------------------------

  /** moto: default credentials act in 123456789012; assumed-role credentials act in the role's account. */
  public AwsCredentialsProvider credentialsFor(String targetAccount) {
    return credentials.computeIfAbsent(targetAccount, a -> {
      StaticCredentialsProvider base = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
      if (a.equals(DEFAULT_ACCOUNT)) {
        return base;
      }
      StsClient sts = build(StsClient.builder(), base, Region.of(region));
      var assumed = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + a + ":role/local-pipeline")
          .roleSessionName("local-pipeline")).credentials();
      issuedSecrets.add(assumed.secretAccessKey());
      issuedSecrets.add(assumed.sessionToken());
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(
          assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()));
    });
  }

  private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
      C build(B builder, AwsCredentialsProvider provider) {
    return build(builder, provider, Region.of(region));
  }

  private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
      C build(B builder, AwsCredentialsProvider provider, Region clientRegion) {
    builder.httpClient(http);
    return builder.endpointOverride(moto.endpoint()).region(clientRegion).credentialsProvider(provider).build();
  }

  private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
      C build(B builder, AwsCredentialsProvider provider, String clientRegion) {
    return build(builder, provider, Region.of(clientRegion));
  }

  public Path projectRoot() {
    return projectRoot;
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  public LocalLambda lambda() {
    return lambda;
  }

  public MotoServer moto() {
    return moto;
  }

  public URI endpoint() {
    return moto.endpoint();
  }

  public S3Client s3() {
    return s3;
  }

  public SfnClient sfn() {
    return sfn;
  }

  public LambdaClient lambdaControl() {
    return lambdaControl;
  }

  /** Lambda's control plane in another account and region of the emulator (the fleet's spokes). */
  public LambdaClient lambdaIn(String targetAccount, String targetRegion) {
    return targetAccount.equals(account) && targetRegion.equals(region)
        ? lambdaControl
        : build(LambdaClient.builder(), credentialsFor(targetAccount), targetRegion);
  }

  /** The pipeline's own SNS client (closed with the pipeline). */
  public SnsClient sns() {
    return sns;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public String bucket() {
    return bucket;
  }

  public String topicArn() {
    return topicArn;
  }

  public String queueUrl() {
    return queueUrl;
  }

  public String secretArn() {
    return secretArn;
  }

  public String stateMachineArn() {
    return stateMachineArn;
  }

  /** The fake Qualys token in the secret: tests look for it where it must never be. */
  public String token() {
    return token;
  }

  /** The AWSCURRENT version of the Qualys secret (the samples name an example one). */
  public String secretVersionId() {
    return secrets.describeSecret(b -> b.secretId(secretArn)).versionIdsToStages().entrySet().stream()
        .filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  public Path qscanner() {
    return qscanner;
  }

  /** Where the functions' logs are (one file per function). */
  public Path logs() {
    return lambda.workDir().resolve("logs");
  }

  /** Stops every runtime, moto, and removes the work folder but the logs. Safe to call twice. */
  @Override
  public void close() {
    try {
      lambda.close();
    } finally {
      moto.close();
      http.close();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
