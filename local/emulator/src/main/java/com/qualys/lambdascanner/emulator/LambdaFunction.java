package com.qualys.lambdascanner.emulator;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A function as {@link LocalLambda} runs it: what a SAM template says about it, plus where its deployment package is.
 *
 * @param name the bare function name; invocations by name, ARN or alias-qualified ARN all land here
 * @param handler the Handler string exactly as in the template ({@code com.example.Handler::handleRequest})
 * @param code the deployment package: a Lambda zip (classes at the root, jars under {@code lib/}) or a folder laid
 *     out the same way
 * @param environment the function's own variables (they win over the emulator's defaults, e.g. credentials)
 * @param timeoutSeconds the function timeout: past it the runtime is killed and the invoke answers
 *     {@code Sandbox.Timedout}
 * @param memorySize MB; sets the child JVM's heap the way Lambda's runtime does, and
 *     {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}
 * @param maxConcurrency how many runtimes of this function may run at once (Lambda's reserved concurrency)
 * @param region the function's region ({@code AWS_REGION})
 * @param accountId the account in its ARN
 * @param mounts a container-image function only ({@code code} an image folder, see {@link ContainerImage}): host files
 *     laid over files of the image, by path in the image (the stand-in scanner's scenarios for the run)
 * @param role the execution role's ARN: under enforcement {@code lambda.amazonaws.com} must be allowed to assume it by
 *     its trust policy, when the function is registered and whenever a runtime gets its credentials; null for none
 *     checked (an endpoint that enforces nothing)
 */
public record LambdaFunction(
    String name,
    String handler,
    Path code,
    Map<String, String> environment,
    int timeoutSeconds,
    int memorySize,
    int maxConcurrency,
    String region,
    String accountId,
    Map<Path, String> mounts,
    String role) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public LambdaFunction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(code, "code");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Lambda function name: " + name);
    }
    if (timeoutSeconds < 1 || memorySize < 128 || maxConcurrency < 1) {
      throw new IllegalArgumentException("timeout, memory and concurrency must be positive: " + name);
    }
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    region = region == null ? "us-east-1" : region;
    accountId = accountId == null ? "123456789012" : accountId;
    mounts = mounts == null ? Map.of() : Map.copyOf(mounts);
  }

  public LambdaFunction(String name, String handler, Path code, Map<String, String> environment, int timeoutSeconds,
      int memorySize, int maxConcurrency, String region, String accountId) {
    this(name, handler, code, environment, timeoutSeconds, memorySize, maxConcurrency, region, accountId, Map.of());
  }

  public LambdaFunction(String name, String handler, Path code, Map<String, String> environment, int timeoutSeconds,
      int memorySize, int maxConcurrency, String region, String accountId, Map<Path, String> mounts) {
    this(name, handler, code, environment, timeoutSeconds, memorySize, maxConcurrency, region, accountId, mounts, null);
  }

  /** Lambda's defaults where SAM templates usually set their own: 60 s, 512 MB, up to 10 runtimes. */
  public static LambdaFunction of(String name, String handler, Path code) {
    return new LambdaFunction(name, handler, code, Map.of(), 60, 512, 10, null, null);
  }

  public LambdaFunction withEnvironment(Map<String, String> value) {
    return new LambdaFunction(
        name, handler, code, value, timeoutSeconds, memorySize, maxConcurrency, region, accountId, mounts, role);
  }

  public LambdaFunction withTimeoutSeconds(int value) {
    return new LambdaFunction(
        name, handler, code, environment, value, memorySize, maxConcurrency, region, accountId, mounts, role);
  }

  public LambdaFunction withMemorySize(int value) {
    return new LambdaFunction(
        name, handler, code, environment, timeoutSeconds, value, maxConcurrency, region, accountId, mounts, role);
  }

  public LambdaFunction withMaxConcurrency(int value) {
    return new LambdaFunction(
        name, handler, code, environment, timeoutSeconds, memorySize, value, region, accountId, mounts, role);
  }

  public LambdaFunction withLocation(String newRegion, String newAccountId) {
    return new LambdaFunction(
        name, handler, code, environment, timeoutSeconds, memorySize, maxConcurrency, newRegion, newAccountId, mounts,
        role);
  }

  public LambdaFunction withMounts(Map<Path, String> value) {
    return new LambdaFunction(
        name, handler, code, environment, timeoutSeconds, memorySize, maxConcurrency, region, accountId, value, role);
  }

  public LambdaFunction withRole(String roleArn) {
    return new LambdaFunction(
        name, handler, code, environment, timeoutSeconds, memorySize, maxConcurrency, region, accountId, mounts,
        roleArn);
  }

  /** The unqualified ARN, as Lambda reports it to the runtime when the function is invoked by name. */
  public String arn() {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }
}
