package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda on this machine, the way {@code sam local start-lambda} would be if it needed no Docker: the Invoke API on a
 * loopback port, each function run by the real AWS Lambda Runtime Interface Client in its own JVM from its unpacked
 * deployment package, with the Lambda Runtime API served to it.
 *
 * <p>Every request that is not an Invoke is forwarded to moto unchanged. That is what makes the pair a whole AWS:
 * moto's Step Functions interpreter sends all its service calls to {@code http://localhost:$MOTO_PORT}, so start moto
 * with {@code MOTO_PORT} = {@link #port()} and then call {@link #forwardTo(URI)} with moto's endpoint:
 *
 * <pre>{@code
 * LocalLambda lambda = LocalLambda.start();
 * MotoServer moto = MotoServer.start(lambda.port());
 * lambda.forwardTo(moto.endpoint());
 * lambda.register(LambdaFunction.of("notify", "com.example.NotifyHandler::handleRequest", zip));
 * }</pre>
 *
 * <p>Each function's runtimes write stdout and stderr to {@link #logFile(String)}, with Lambda's JSON platform lines
 * ({@code platform.start}, {@code platform.report}) between invocations. {@link #close()} stops every runtime and
 * the processes they started.
 */
public final class LocalLambda implements AutoCloseable {

  /** Name, partial ARN ({@code account:function:name}) or full ARN, each with an optional version or alias. */
  private static final Pattern FUNCTION_REF = Pattern.compile(
      "^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:|\\d{12}:function:)?([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$");

  private final Path workDir;
  private final List<String> runtimeClassPath;
  private final Map<String, FunctionPool> functions = new ConcurrentHashMap<>();
  private final InvokeFaults invokeFaults = new InvokeFaults();
  private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile URI forwardTo;
  private volatile long initTimeoutMillis = 60_000;

  private final ServiceFaults serviceFaults = new ServiceFaults();
  private final EcrRegistry registry = new EcrRegistry(() -> forwardTo);
  private final Forwarder forwarder = new Forwarder(serviceFaults, registry);
  /** The listeners and the routing of requests (Invoke, the emulator's own paths, moto): {@link LambdaEndpoints}. */
  private final LambdaEndpoints endpoints;

  private LocalLambda(Path workDir) throws IOException {
    this.workDir = workDir;
    this.runtimeClassPath = RuntimeClassPath.resolve();
    Files.createDirectories(workDir.resolve("logs"));
    this.endpoints = new LambdaEndpoints(registry, forwarder, () -> forwardTo, this::invoke);
  }

  /** Starts on a free loopback port, with its work folder (unpacked packages, sandboxes, logs) in the temp folder. */
  public static LocalLambda start() {
    try {
      return start(Files.createTempDirectory("local-lambda-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LocalLambda start(Path workDir) {
    try {
      return new LocalLambda(workDir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Lambda endpoint", e);
    }
  }

  /** The Runtime Interface Client's jars, as every Java runtime gets them (an image build puts them in the image). */
  public static List<String> runtimeClassPath() {
    return RuntimeClassPath.resolve();
  }

  public int port() {
    return endpoints.port();
  }

  /** The Invoke endpoint to give a Lambda client. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /**
   * The same endpoint on a port of its own that stands for AWS's plain {@code http://} endpoints: requests through it
   * are evaluated with {@code aws:SecureTransport} false (through {@link #endpoint()}, true, as over HTTPS).
   */
  public URI plainEndpoint() {
    return URI.create("http://127.0.0.1:" + endpoints.plainPort());
  }

  /**
   * Where everything that is not an Invoke goes, and the endpoint the functions call ({@code AWS_ENDPOINT_URL}).
   */
  public LocalLambda forwardTo(URI awsEndpoint) {
    this.forwardTo = awsEndpoint;
    return this;
  }

  /** The ECR registry API served here ({@code /v2/}, addressed by the ECR host in {@code Host}): pushes, tokens. */
  public EcrRegistry registry() {
    return registry;
  }

  /** How long a runtime may take from start to its first {@code /next} (Lambda: 10 s; a busy CI machine needs more). */
  public LocalLambda initTimeout(Duration limit) {
    this.initTimeoutMillis = limit.toMillis();
    return this;
  }

  /**
   * Registers a function, replacing (and stopping the runtimes of) one of the same name. Under enforcement, as
   * CreateFunction: {@code lambda.amazonaws.com} must be allowed to assume the function's role by its trust policy,
   * else {@link IllegalArgumentException} with Lambda's InvalidParameterValueException message; the same check runs
   * whenever a runtime starts (an invoke then answers that error).
   */
  public LocalLambda register(LambdaFunction function) {
    ServiceRequests checking = endpoints.services();
    String refused = checking == null ? null : checking.lambdaRefusal(function);
    if (refused != null) {
      throw new IllegalArgumentException("InvalidParameterValueException: " + refused);
    }
    FunctionPool pool = new FunctionPool(function, workDir, logFile(function.name()), runtimeClassPath,
        baseEnvironment(), initTimeoutMillis, f -> {
          ServiceRequests now = endpoints.services();
          return now == null ? null : now.lambdaRefusal(f);
        });
    FunctionPool previous = functions.put(function.name(), pool);
    if (previous != null) {
      previous.close();
    }
    return this;
  }

  /**
   * From now on every request through this endpoint (the functions' AWS calls, moto's interpreter's, Invoke) is
   * evaluated by {@code authorization} first, and refused as the service would refuse it when IAM would (null: no
   * longer, for an endpoint shared by test classes that each enforce their own stack).
   */
  public LocalLambda enforce(Authorization authorization) {
    endpoints.enforce(authorization);
    return this;
  }

  /** Starts one runtime of each named function now, in parallel, so the first invocations find them warm. */
  public void warm(String... names) {
    List<Thread> starting = new ArrayList<>();
    for (String name : names) {
      FunctionPool pool = pool(name);
      starting.add(Thread.ofVirtual().start(pool::warm));
    }
    for (Thread thread : starting) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The next {@code times} invocations of the function are refused by the service with {@code errorCode}, without
   * running it, as Lambda answers them: {@code ServiceException} → 500, {@code TooManyRequestsException} → 429,
   * {@code SnapStartNotReadyException} → 409, {@code SnapStartTimeoutException} → 408, {@code SnapStartException}
   * → 400; {@code Sandbox.Timedout} answers as a function that ran out of its timeout.
   */
  public void failNext(String functionName, int times, String errorCode) {
    failNext(functionName, "", times, errorCode);
  }

  /**
   * As {@link #failNext(String, int, String)}, only for invocations whose payload contains {@code payloadContains}
   * (e.g. the target's function name: the faults of one execution among many running at once).
   */
  public void failNext(String functionName, String payloadContains, int times, String errorCode) {
    invokeFaults.failNext(functionName, payloadContains, times, errorCode);
  }

  /**
   * Lambda's reserved concurrency: an invocation while {@code limit} of the function's run is refused with 429
   * {@code TooManyRequestsException}, Reason {@code ReservedFunctionConcurrentInvocationLimitExceeded}.
   */
  public void reserveConcurrency(String functionName, int limit) {
    invokeFaults.reserveConcurrency(functionName, limit);
  }

  /** Ends every {@link #failNext} fault still pending. */
  public void clearInvokeFaults() {
    invokeFaults.clear();
  }

  /** How many invocations of the function the reserved-concurrency cap refused (Lambda's Throttles metric). */
  public int throttles(String functionName) {
    return invokeFaults.throttles(functionName);
  }

  /**
   * The next {@code times} requests the functions (or anything else going through this endpoint) make to an AWS
   * service are answered with that service's error, as the service would answer them: {@code s3} with 503
   * {@code SlowDown} (S3's XML error), {@code sns} / {@code sts} / other query-protocol services with 500
   * {@code InternalError}. The service is the one the request's Signature V4 credential scope names. Use
   * {@link Integer#MAX_VALUE} for a service that is down for good, {@link #clearServiceFaults()} to end it.
   */
  public void failService(String service, int times) {
    serviceFaults.add(service, "", "", times, null);
  }

  /**
   * As {@link #failService(String, int)}, only for requests whose path contains {@code pathContains} (e.g.
   * {@code "/results/"}: the result records), with the error {@code errorCode}: {@code SlowDown} and
   * {@code ServiceUnavailable} (503), {@code InternalError} (500), {@code Throttling} / {@code ThrottlingException}
   * (400), {@code AccessDenied} (403).
   */
  public void failService(String service, String pathContains, int times, String errorCode) {
    serviceFaults.add(service, pathContains, "", times, errorCode);
  }

  /**
   * As {@link #failService(String, int)}, only for requests whose body contains {@code bodyContains} (e.g. a target's
   * function name: S3 PUTs of its record, SNS publishes of its message), with the service's default error.
   */
  public void failServiceFor(String service, String bodyContains, int times) {
    serviceFaults.add(service, "", bodyContains, times, null);
  }

  /** A rate quota per region (bursts of {@code burst}); beyond it, the service's own throttling error. */
  public void rateLimitService(String service, int perSecond, int burst) {
    serviceFaults.rateLimit(service, perSecond, burst);
  }

  public void clearServiceFaults() {
    serviceFaults.clear();
  }

  /** How many requests to the service were answered with an injected error. */
  public int injectedFaults(String service) {
    return serviceFaults.injected(service);
  }

  /**
   * {@code sts:AssumeRole} of this role is refused with 403 {@code AccessDenied}, as STS answers for a role that does
   * not exist or does not trust the caller (moto lets anyone assume any role).
   */
  public void denyAssumeRole(String roleArn) {
    serviceFaults.denyAssumeRole(roleArn);
  }

  /** How many {@code sts:AssumeRole} calls named this role (refused ones included). */
  public int assumeRoleCalls(String roleArn) {
    return serviceFaults.assumeRoleCalls(roleArn);
  }

  /**
   * Every secret access key and session token STS handed out through this endpoint (the functions' assumed roles),
   * and every ECR pull token's password: leak tests look for them where they must never be.
   */
  public Set<String> issuedSecrets() {
    Set<String> secrets = new java.util.HashSet<>(forwarder.issuedSecrets());
    secrets.addAll(registry.issuedPasswords());
    return Set.copyOf(secrets);
  }

  /** Invokes a function the way the Invoke API does (synchronous, by name or ARN). */
  public InvokeResult invoke(String function, String payload) {
    return invoke(function, payload.getBytes(StandardCharsets.UTF_8));
  }

  public InvokeResult invoke(String function, byte[] payload) {
    String requestId = UUID.randomUUID().toString();
    Matcher ref = FUNCTION_REF.matcher(function);
    String name = ref.matches() ? ref.group(1) : function;
    FunctionPool pool = functions.get(name);
    if (pool == null) {
      String arn = function.startsWith("arn:") ? function
          : "arn:aws:lambda:us-east-1:123456789012:function:" + name;
      return InvokeResult.serviceError(404, "ResourceNotFoundException", "Function not found: " + arn, requestId);
    }
    invocations.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    InvokeResult refused = invokeFaults.admit(name, payload, requestId, pool.function().timeoutSeconds());
    if (refused != null) {
      return refused;
    }
    try {
      String invokedArn = function.startsWith("arn:") ? function : pool.function().arn();
      return pool.invoke(payload, requestId, invokedArn);
    } finally {
      invokeFaults.release(name);
    }
  }

  /** How many times a function was invoked (refused ones included). */
  public int invocationCount(String functionName) {
    AtomicInteger count = invocations.get(functionName);
    return count == null ? 0 : count.get();
  }

  /** How many runtimes of the function are alive now. */
  public int runtimeCount(String functionName) {
    return pool(functionName).runtimes();
  }

  /** Process ids of the function's live runtimes (tests check that none survives {@link #close()}). */
  public List<Long> runtimePids(String functionName) {
    return pool(functionName).pids();
  }

  /** The stdout and stderr of every runtime of the function, with Lambda's platform lines. */
  public Path logFile(String functionName) {
    return workDir.resolve("logs").resolve(functionName + ".log");
  }

  public Path workDir() {
    return workDir;
  }

  private FunctionPool pool(String name) {
    FunctionPool pool = functions.get(name);
    if (pool == null) {
      throw new IllegalArgumentException("no function registered as " + name);
    }
    return pool;
  }

  private Map<String, String> baseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    // moto's test credentials: they act in moto's default account. A function's own variables may replace them.
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    if (forwardTo != null) {
      // Through this endpoint, not straight to moto: so faults can be injected into the functions' AWS calls.
      env.put("AWS_ENDPOINT_URL", endpoint().toString());
    }
    return env;
  }

  /** The patched moto posts the events of rules with role targets here ({@link EventBus}). */
  void eventBus(EventBus bus) {
    endpoints.eventBus(bus);
  }

  /** Stops every runtime (and whatever it started) and the endpoint. Logs stay, for whoever reads them next. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    functions.values().parallelStream().forEach(FunctionPool::close);
    functions.clear();
    endpoints.close();
    deleteQuietly(workDir.resolve("sandboxes"));
    deleteQuietly(workDir.resolve("task"));
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp folder is not worth failing a run for
    }
  }
}
