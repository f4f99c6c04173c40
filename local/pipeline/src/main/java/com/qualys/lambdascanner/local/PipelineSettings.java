package com.qualys.lambdascanner.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LocalPipeline} run is made of and may change: the function catalogue, the options, the accounts,
 * names and short numbers of the local run.
 */
public final class PipelineSettings {

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
   * @param scannerImage run-qscanner as a container image (ScannerPackaging image): the image folder
   *     {@link ScannerImage#build} made; null for the zip function
   */
  public record Options(
      Map<String, String> substitutions,
      Map<String, Map<String, String>> environment,
      int maxConcurrency,
      String spokeRoleName,
      String spokeExternalId,
      Path scannerImage) {

    public Options {
      substitutions = Map.copyOf(substitutions);
      environment = Map.copyOf(environment);
    }

    public static Options defaults() {
      return new Options(Map.of(), Map.of(), 10, null, null, null);
    }

    public Options withSubstitution(String key, String value) {
      Map<String, String> values = new HashMap<>(substitutions);
      values.put(key, value);
      return new Options(values, environment, maxConcurrency, spokeRoleName, spokeExternalId, scannerImage);
    }

    public Options withEnvironment(String function, String key, String value) {
      Map<String, Map<String, String>> values = new HashMap<>(environment);
      Map<String, String> own = new HashMap<>(values.getOrDefault(function, Map.of()));
      own.put(key, value);
      values.put(function, own);
      return new Options(substitutions, values, maxConcurrency, spokeRoleName, spokeExternalId, scannerImage);
    }

    public Options withMaxConcurrency(int value) {
      return new Options(substitutions, environment, value, spokeRoleName, spokeExternalId, scannerImage);
    }

    /** Hub mode: the three functions that read targets assume {@code roleName} in the target's account. */
    public Options withHub(String roleName, String externalId) {
      return new Options(substitutions, environment, maxConcurrency, roleName, externalId, scannerImage);
    }

    /** run-qscanner as the container image in {@code image} (a folder {@link ScannerImage#build} made). */
    public Options withScannerImage(Path image) {
      return new Options(substitutions, environment, maxConcurrency, spokeRoleName, spokeExternalId, image);
    }

    public boolean hub() {
      return spokeRoleName != null && !spokeRoleName.isBlank();
    }
  }

  /** Where Store Results reads the suppression list (the template's SuppressionListKey default). */
  public static final String SUPPRESSION_LIST_KEY = "config/suppressions.json";

  /** Hub mode's spoke role name and external id, as templates/spoke.yaml would create them. */
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

  private PipelineSettings() {}
}
