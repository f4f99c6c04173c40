package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.PipelineSettings.DEFAULT_ACCOUNT;
import static com.qualys.lambdascanner.local.PipelineSettings.DEFAULT_REGION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.emulator.LambdaFunction;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.MotoServer;
import com.qualys.lambdascanner.local.PipelineSettings.Function;
import com.qualys.lambdascanner.local.PipelineSettings.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline on this machine: moto for S3, SNS, SQS, Secrets Manager, Lambda's control plane and Step
 * Functions (its ASL interpreter runs the real state machine), and {@link LocalLambda} running the five real function
 * packages, each in its own JVM through the AWS Lambda Runtime Interface Client.
 *
 * <p>The trick that joins them: moto's interpreter invokes Lambda at {@code http://localhost:$MOTO_PORT}; moto is
 * started with {@code MOTO_PORT} = LocalLambda's port, and LocalLambda forwards everything but Invoke back to moto.
 */
public final class LocalPipeline implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  // The facade over the run's parts, each a class of its own: how they come up (PipelineDeployment), clients and
  // credentials (LocalClients), the target functions and roles (TargetFunctions), the pipeline's resources
  // (PipelineResources), the stand-in scanner (StandInScanner), the five functions in LocalLambda (LocalFunctions),
  // state machines and executions (Executions, AslDefinitions), and what the run left behind (ResultsReadback).
  private final PipelineDeployment stack;

  private LocalPipeline(PipelineDeployment stack) {
    this.stack = stack;
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
    PipelineDeployment stack = new PipelineDeployment(projectRoot, account, region, workDir, options);
    try {
      stack.deploy(scenario);
      return new LocalPipeline(stack);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  // The functions (LocalFunctions)

  /** Registers a function package beside the pipeline's five (the fleet's), as {@link LocalFunctions} does those. */
  public void registerFunction(Function function, Map<String, String> environment) {
    stack.functions.register(function, environment);
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
    stack.functions.recycle(functionName, environment);
  }

  /** The function as registered (handler, package, variables): the cold-start benchmark copies it. */
  public LambdaFunction definition(String functionName) {
    return stack.functions.definition(functionName);
  }

  /** The variables of the contract, with this run's resources and the options' changes. */
  public Map<String, String> environment(Function function) {
    return stack.functions.environment(function);
  }

  /** Which scenario the stand-in scanner plays, per target function name or by default: from its next scan on. */
  public void scenarios(String defaultScenario, Map<String, String> byFunction) {
    StandInScanner.scenarios(stack.qscanner, stack.moto.endpoint(), defaultScenario, byFunction);
  }

  /** The function an event or direct request names, created in moto unless it exists: {@link TargetFunctions}. */
  public Optional<String> ensureTarget(JsonNode event) {
    return stack.targets.ensureTarget(event);
  }

  // State machines and executions (AslDefinitions, Executions)

  /** The ASL's substitutions for this run: alias ARNs of the local functions, short numbers. */
  public Map<String, String> localSubstitutions() {
    return AslDefinitions.localSubstitutions(stack.projectRoot, stack.options, stack.account, stack.region);
  }

  /** statemachine/scan-pipeline.asl.json with every {@code ${...}} replaced; a missing value is an error. */
  public static String renderDefinition(Path projectRoot, Map<String, String> substitutions) {
    return renderDefinition(projectRoot, "statemachine/scan-pipeline.asl.json", substitutions);
  }

  /** An ASL file of the project (e.g. statemachine/fleet-scan.asl.json) with every {@code ${...}} replaced. */
  public static String renderDefinition(Path projectRoot, String aslFile, Map<String, String> substitutions) {
    return AslDefinitions.render(projectRoot, aslFile, substitutions);
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

  /**
   * Another state machine from the same ASL file, with some substitutions changed (e.g. a shorter
   * {@code ScanTaskTimeoutSeconds}): its ARN, for {@link #execute(String, JsonNode, Duration)}.
   */
  public String createStateMachine(String name, Map<String, String> overrides) {
    Map<String, String> values = localSubstitutions();
    values.putAll(overrides);
    return createStateMachine(name, "statemachine/scan-pipeline.asl.json", values);
  }

  /** A state machine from another ASL file (the fleet's), rendered with exactly these substitutions. */
  public String createStateMachine(String name, String aslFile, Map<String, String> substitutions) {
    return stack.executions.createStateMachine(name, aslFile, substitutions);
  }

  /** Every state machine of this run (the pipeline's and any {@link #createStateMachine} made). */
  public List<String> stateMachines() {
    return stack.executions.stateMachines();
  }

  /**
   * Starts an execution with the event as its input and waits for its end (at most {@code limit}), then reads back
   * its record and its notification.
   */
  public ExecutionReport execute(JsonNode event, Duration limit) {
    return execute(stack.stateMachineArn, event, limit);
  }

  public ExecutionReport execute(String machineArn, JsonNode event, Duration limit) {
    return await(start(machineArn, event), limit);
  }

  /** Starts an execution (named with a fresh UUID: the scan id) and returns its ARN without waiting. */
  public String start(String machineArn, JsonNode event) {
    return stack.executions.start(machineArn, event);
  }

  /** Waits for the execution's end (at most {@code limit}) and reports it, with its record and notification. */
  public ExecutionReport await(String executionArn, Duration limit) {
    return stack.executions.await(executionArn, limit);
  }

  /** Every event of the execution's history, as the API returns it (paged through). */
  public List<JsonNode> history(String executionArn) {
    return stack.executions.history(executionArn);
  }

  /** Every execution of every state machine of this run. */
  public List<String> executions() {
    return stack.executions.executions();
  }

  // What the run left behind (ResultsReadback) and its secrets

  /** Every message published to the topic so far, for the leak checks; reading removes them. */
  public List<String> drainPublishedMessages() {
    return stack.readback.drainPublishedMessages();
  }

  /** Keys of every object in the results bucket. */
  public List<String> resultObjects() {
    return stack.readback.resultObjects();
  }

  /** An object of the results bucket, as text. */
  public String resultObject(String key) {
    return stack.readback.resultObject(key);
  }

  /**
   * Every secret the run handed out: the Qualys token, the secret keys and session tokens of the function runtimes,
   * those STS issued to the functions (assumed roles) and the ECR pull tokens handed out, through LocalLambda.
   */
  public Set<String> secrets() {
    Set<String> all = new HashSet<>(stack.clients.issuedSecrets());
    all.addAll(stack.lambda.issuedSecrets());
    all.add(stack.resources.token());
    return all;
  }

  public Options options() {
    return stack.options;
  }

  /** The stack's rules, buses and schedules in moto, delivered and fired as AWS would ({@link StackEvents}). */
  public StackEvents events() {
    return stack.events;
  }

  /** The run's IAM enforcement (every decision, the statements that made it), or null with {@code AUTHZ=off}. */
  public com.qualys.lambdascanner.emulator.Authorization authorization() {
    return stack.authorization.authorization();
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }

  // Clients and accounts (LocalClients)

  /** moto: default credentials act in 123456789012; assumed-role credentials act in the role's account. */
  public AwsCredentialsProvider credentialsFor(String targetAccount) {
    return stack.clients.credentialsFor(targetAccount);
  }

  /** The ARN of one of the stack's roles, by its logical id (ScanStateMachineRole, FleetStateMachineRole, ...). */
  public String roleArn(String roleLogicalId) {
    return stack.authorization.role(roleLogicalId);
  }

  /**
   * A session of one of the stack's roles (its logical id: StoreResultsFunctionRole, NotifyFunctionRole, ...), from
   * STS as Lambda gets one for a function, known to the enforcement as that role: a test's own requests as the
   * pipeline's principal (through {@link LocalLambda#endpoint()} or {@link LocalLambda#plainEndpoint()}).
   */
  public AwsCredentialsProvider roleSession(String roleLogicalId, String sessionName) {
    return StaticCredentialsProvider.create(
        stack.clients.functionCredentials(stack.authorization.role(roleLogicalId), sessionName));
  }

  public Path projectRoot() {
    return stack.projectRoot;
  }

  public String account() {
    return stack.account;
  }

  public String region() {
    return stack.region;
  }

  public LocalLambda lambda() {
    return stack.lambda;
  }

  public MotoServer moto() {
    return stack.moto;
  }

  public URI endpoint() {
    return stack.moto.endpoint();
  }

  public S3Client s3() {
    return stack.clients.s3;
  }

  public SfnClient sfn() {
    return stack.clients.sfn;
  }

  public LambdaClient lambdaControl() {
    return stack.clients.lambdaControl;
  }

  /** Lambda's control plane in another account and region of the emulator (the fleet's spokes). */
  public LambdaClient lambdaIn(String targetAccount, String targetRegion) {
    return stack.clients.lambdaIn(targetAccount, targetRegion);
  }

  /** The pipeline's own SNS client (closed with the pipeline). */
  public SnsClient sns() {
    return stack.clients.sns;
  }

  public SqsClient sqs() {
    return stack.clients.sqs;
  }

  public String bucket() {
    return stack.resources.bucket();
  }

  /** The results bucket's default encryption key (template.yaml's ResultsKey). */
  public String resultsKeyArn() {
    return stack.resources.keyArn();
  }

  public String topicArn() {
    return stack.resources.topicArn();
  }

  public String queueUrl() {
    return stack.resources.queueUrl();
  }

  public String secretArn() {
    return stack.resources.secretArn();
  }

  public String stateMachineArn() {
    return stack.stateMachineArn;
  }

  /** The fake Qualys token in the secret: tests look for it where it must never be. */
  public String token() {
    return stack.resources.token();
  }

  /** Puts a new current version of the Qualys secret (e.g. client credentials instead of a token). */
  public void putQualysSecret(String secretString) {
    stack.clients.secrets.putSecretValue(b -> b.secretId(stack.resources.secretArn()).secretString(secretString));
  }

  /** The AWSCURRENT version of the Qualys secret (the samples name an example one). */
  public String secretVersionId() {
    return stack.clients.secrets.describeSecret(b -> b.secretId(stack.resources.secretArn())).versionIdsToStages()
        .entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey).findFirst()
        .orElseThrow();
  }

  public Path qscanner() {
    return stack.qscanner;
  }

  /** Where the functions' logs are (one file per function). */
  public Path logs() {
    return stack.lambda.workDir().resolve("logs");
  }

  /** Stops every runtime, moto, and removes the work folder but the logs. Safe to call twice. */
  @Override
  public void close() {
    stack.close();
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
