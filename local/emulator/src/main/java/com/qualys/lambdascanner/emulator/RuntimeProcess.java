package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution environment of a function: a JVM running the AWS Lambda Runtime Interface Client (the same client
 * Lambda's java25 runtime runs), and the Lambda Runtime API that client polls, on its own loopback port as each
 * sandbox has its own in Lambda. It serves one invocation at a time.
 */
final class RuntimeProcess implements AutoCloseable {

  private static final String API = "/2018-06-01/runtime";
  private static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String SNAP_START = "snap-start";

  private final LambdaFunction function;
  private final String id;
  private final HttpServer api;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Path home;
  private final Process process;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicReference<Pending> handoff = new AtomicReference<>();
  private final AtomicReference<Pending> current = new AtomicReference<>();
  private final Object lock = new Object();
  private volatile boolean closed;

  /** One invocation on its way through this runtime. */
  static final class Pending {
    final String requestId;
    final byte[] payload;
    final String invokedArn;
    final long timeoutMillis;
    final CompletableFuture<InvokeResult> result = new CompletableFuture<>();
    volatile long deadlineMillis;

    Pending(String requestId, byte[] payload, String invokedArn, long timeoutMillis) {
      this.requestId = requestId;
      this.payload = payload;
      this.invokedArn = invokedArn;
      this.timeoutMillis = timeoutMillis;
    }
  }

  RuntimeProcess(LambdaFunction function, Path taskRoot, Path workDir, Path log, List<String> runtimeClassPath,
      Map<String, String> baseEnvironment) {
    this.function = function;
    this.id = function.name() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try {
      this.home = Files.createDirectories(workDir.resolve("sandboxes").resolve(id));
      Files.createDirectories(home.resolve("tmp"));
      this.api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      api.setExecutor(threads);
      api.createContext(API + "/", this::serve);
      api.start();
      this.process = launch(taskRoot, log, runtimeClassPath, baseEnvironment);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot start a runtime for " + function.name(), e);
    }
    process.onExit().thenRun(this::exited);
  }

  private Process launch(Path taskRoot, Path log, List<String> runtimeClassPath, Map<String, String> baseEnvironment)
      throws IOException {
    Path tmp = home.resolve("tmp");
    if (ContainerImage.is(taskRoot)) {
      return launchImage(ContainerImage.of(taskRoot), tmp, log, baseEnvironment);
    }
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(runtimeFlags(function));
    command.add("-XX:+ErrorFileToStderr");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
    // Lambda's runtime points org.crac at the RIC's own CRaC context, whose hooks the RIC runs under SnapStart.
    command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
    // The RIC's native Runtime API client is loaded with System.load.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add(RuntimeNativeLibrary.option(runtimeClassPath));
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-classpath");
    command.add(String.join(java.io.File.pathSeparator, runtimeClassPath));
    command.add(RUNTIME_MAIN);
    command.add(function.handler());

    ProcessBuilder builder = new ProcessBuilder(command)
        // The RIC loads the function from its working directory, as Lambda's runtime does from /var/task.
        .directory(taskRoot.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = builder.environment();
    // From scratch, as in Lambda: nothing of the parent's environment leaks into the function but PATH.
    env.clear();
    env.putAll(baseEnvironment);
    lambdaVariables(env);
    env.put("_HANDLER", function.handler());
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.putAll(function.environment());
    return builder.start();
  }

  /**
   * A container-image function: the image's entrypoint and command (it owns the JVM's command line) in its own root
   * filesystem and /tmp ({@link ContainerImage}); the image's Env, then Lambda's variables, then the function's.
   */
  private Process launchImage(ContainerImage image, Path tmp, Path log, Map<String, String> baseEnvironment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(image.command(tmp, function.mounts()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(baseEnvironment);
    env.putAll(image.environment());
    lambdaVariables(env);
    env.put("HOME", "/tmp");
    env.put("TMPDIR", "/tmp");
    env.putAll(function.environment());
    return builder.start();
  }

  /** What Lambda sets for every runtime, zip or image. */
  private void lambdaVariables(Map<String, String> env) {
    env.put("AWS_REGION", function.region());
    env.put("AWS_DEFAULT_REGION", function.region());
    env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
    env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", id);
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
    env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.getAddress().getPort());
    env.put("TZ", ":UTC");
    env.put("LANG", "en_US.UTF-8");
  }

  /**
   * The flags Lambda's Java runtime starts the JVM with: heap from the memory setting, serial GC, and tiered
   * compilation stopped at C1, except (java25) under SnapStart, where Lambda keeps the JVM's default tiered
   * compilation because compiling happens before the snapshot, off the invocation path.
   */
  static List<String> runtimeFlags(LambdaFunction function) {
    List<String> flags = new ArrayList<>();
    flags.add("-XX:MaxHeapSize=" + (function.memorySize() * 85 / 100) + "m");
    flags.add("-XX:+UseSerialGC");
    if (!SNAP_START.equals(function.environment().get("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
      flags.add("-XX:+TieredCompilation");
      flags.add("-XX:TieredStopAtLevel=1");
    }
    flags.add("-Xshare:auto");
    return flags;
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .filter(c -> c.endsWith("java"))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  String id() {
    return id;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return !closed && process.isAlive();
  }

  /** Waits for the runtime's first {@code /next}: the end of its init phase. */
  void awaitReady(long timeoutMillis) throws InitFailure {
    try {
      ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new InitFailure(Json.error("Runtime.InitTimeout",
          "the runtime did not finish its init phase within " + timeoutMillis / 1000 + " seconds"));
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof InitFailure failure
          ? failure
          : new InitFailure(Json.error("Runtime.Unknown", String.valueOf(e.getCause())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InitFailure(Json.error("Runtime.Unknown", "interrupted"));
    }
  }

  /**
   * Hands the invocation to the runtime and waits for its answer. The function timeout counts from delivery, as the
   * deadline the runtime sees does.
   */
  InvokeResult invoke(Pending pending) throws TimeoutException, InterruptedException {
    synchronized (lock) {
      if (!alive()) {
        return exitResult(pending.requestId);
      }
      handoff.set(pending);
      lock.notifyAll();
    }
    // The function timeout counts from delivery, the moment the deadline the runtime sees is set.
    long handedOver = System.currentTimeMillis();
    while (true) {
      long deadline = pending.deadlineMillis;
      long limit = deadline == 0 ? handedOver + pending.timeoutMillis + 10_000 : deadline;
      long wait = limit - System.currentTimeMillis();
      if (wait <= 0) {
        throw new TimeoutException(pending.requestId);
      }
      try {
        return pending.result.get(Math.min(wait, 200), TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        // look at the deadline again
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(API.length());
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals("/invocation/next")) {
        next(exchange);
      } else if (method.equals("GET") && path.equals("/restore/next")) {
        // SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start): the RIC ran its beforeCheckpoint hooks and waits
        // for the restore; here the "snapshot" resumes at once, in the same process, and init goes on to /next.
        respond(exchange, 200, "");
      } else if (method.equals("POST") && (path.equals("/init/error") || path.equals("/restore/error"))) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        ready.completeExceptionally(new InitFailure(text(body)));
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else if (method.equals("POST") && path.startsWith("/invocation/")
          && (path.endsWith("/response") || path.endsWith("/error"))) {
        String[] parts = path.split("/");
        String requestId = parts[2];
        byte[] body = exchange.getRequestBody().readAllBytes();
        Pending pending = current.get();
        if (pending == null || !pending.requestId.equals(requestId)) {
          respond(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
          return;
        }
        current.compareAndSet(pending, null);
        pending.result.complete(path.endsWith("/response")
            ? InvokeResult.success(body, requestId)
            : InvokeResult.functionError(text(body), requestId));
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        respond(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"NotFound\"}");
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    ready.complete(null);
    Pending pending;
    synchronized (lock) {
      while ((pending = handoff.getAndSet(null)) == null) {
        if (closed) {
          respond(exchange, 500, "{\"errorMessage\":\"runtime shutting down\",\"errorType\":\"Runtime.Shutdown\"}");
          return;
        }
        try {
          lock.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      current.set(pending);
    }
    long deadline = System.currentTimeMillis() + pending.timeoutMillis;
    pending.deadlineMillis = deadline;
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId);
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", pending.invokedArn);
    headers.set("Lambda-Runtime-Trace-Id", traceId());
    exchange.sendResponseHeaders(200, pending.payload.length == 0 ? -1 : pending.payload.length);
    exchange.getResponseBody().write(pending.payload);
  }

  private static String traceId() {
    var random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
        + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextInt())
        + ";Parent=" + hex.toHexDigits(random.nextLong()) + ";Sampled=0";
  }

  private void exited() {
    int code = process.exitValue();
    ready.completeExceptionally(new InitFailure(Json.error("Runtime.ExitError",
        "RequestId: (init) Error: Runtime exited with error: exit status " + code)));
    Pending pending = current.getAndSet(null);
    if (pending == null) {
      pending = handoff.getAndSet(null);
    }
    if (pending != null) {
      pending.result.complete(exitResult(pending.requestId));
    }
    close();
  }

  private InvokeResult exitResult(String requestId) {
    String status = process.isAlive() ? "killed" : "exit status " + process.exitValue();
    return InvokeResult.functionError(
        Json.error("Runtime.ExitError", "RequestId: " + requestId + " Error: Runtime exited with error: " + status),
        requestId);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Kills the runtime and every process it started (a scanner it launched included), then its Runtime API. */
  @Override
  public void close() {
    // Killed first, as Lambda stops a sandbox: the runtime never sees its Runtime API go away.
    if (process != null) {
      killTree(process.toHandle());
    }
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    if (api != null) {
      api.stop(0);
    }
    threads.shutdownNow();
  }

  static void killTree(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already gone, or not ours to wait for
      }
    }
  }

  /** The runtime could not start the function: its error document is what the invoke answers. */
  static final class InitFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String payload;

    InitFailure(String payload) {
      super(payload, null, false, false);
      this.payload = payload;
    }
  }

  Path home() {
    return home;
  }
}
