package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The warm runtimes of one function: an idle one takes the next invocation; when all are busy another starts, up to
 * the function's concurrency. A runtime that timed out or died is dropped, as Lambda drops its sandbox.
 */
final class FunctionPool implements AutoCloseable {

  private final LambdaFunction function;
  private final Path taskRoot;
  private final Path workDir;
  private final Path log;
  private final List<String> runtimeClassPath;
  private final Map<String, String> baseEnvironment;
  private final long initTimeoutMillis;
  /** Null when Lambda may assume the function's role now, else why not (each runtime gets that role's credentials). */
  private final Function<LambdaFunction, String> roleRefusal;
  private final List<RuntimeProcess> all = new ArrayList<>();
  private final Deque<RuntimeProcess> idle = new ArrayDeque<>();
  private final Deque<RuntimeProcess> warming = new ArrayDeque<>();
  private boolean closed;

  FunctionPool(LambdaFunction function, Path workDir, Path log, List<String> runtimeClassPath,
      Map<String, String> baseEnvironment, long initTimeoutMillis, Function<LambdaFunction, String> roleRefusal) {
    this.function = function;
    this.workDir = workDir;
    this.log = log;
    this.runtimeClassPath = runtimeClassPath;
    this.baseEnvironment = baseEnvironment;
    this.initTimeoutMillis = initTimeoutMillis;
    this.roleRefusal = roleRefusal;
    this.taskRoot = unpack(function, workDir.resolve("task").resolve(function.name() + "-" + java.util.UUID.randomUUID()));
  }

  LambdaFunction function() {
    return function;
  }

  /** Starts a runtime ahead of the first invocation, so that invocation finds it warm. */
  void warm() {
    RuntimeProcess runtime;
    synchronized (this) {
      if (closed || !all.isEmpty()) {
        return;
      }
      try {
        runtime = start();
      } catch (RoleRefused e) {
        // The invocation that comes answers with the refusal, as Lambda does.
        return;
      }
      warming.add(runtime);
    }
    try {
      runtime.awaitReady(initTimeoutMillis);
    } catch (RuntimeProcess.InitFailure e) {
      // The invocation that takes it answers with the init error, as Lambda does.
      return;
    }
    synchronized (this) {
      if (warming.remove(runtime)) {
        idle.addFirst(runtime);
        notifyAll();
      }
    }
  }

  InvokeResult invoke(byte[] payload, String requestId, String invokedArn) {
    RuntimeProcess runtime;
    try {
      runtime = acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvokeResult.serviceError(500, "ServiceException", "interrupted", requestId);
    } catch (RoleRefused e) {
      return InvokeResult.serviceError(400, "InvalidParameterValueException", e.getMessage(), requestId);
    }
    if (runtime == null) {
      return InvokeResult.serviceError(429, "TooManyRequestsException", "Rate Exceeded.", requestId);
    }
    long started = System.nanoTime();
    platformLine("platform.start", requestId, null);
    InvokeResult result;
    String status;
    try {
      runtime.awaitReady(initTimeoutMillis);
      result = runtime.invoke(new RuntimeProcess.Pending(
          requestId, payload, invokedArn, function.timeoutSeconds() * 1000L));
      status = result.succeeded() ? "success" : "error";
    } catch (RuntimeProcess.InitFailure e) {
      result = InvokeResult.functionError(e.payload, requestId);
      status = "error";
    } catch (TimeoutException e) {
      // Lambda stops the sandbox; the next invocation gets a fresh one.
      runtime.close();
      result = InvokeResult.functionError(Json.error("Sandbox.Timedout",
          "RequestId: " + requestId + " Error: Task timed out after " + function.timeoutSeconds() + ".00 seconds"),
          requestId);
      status = "timeout";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.close();
      result = InvokeResult.serviceError(500, "ServiceException", "interrupted", requestId);
      status = "error";
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    platformLine("platform.report", requestId, "\"status\":\"" + status + "\",\"metrics\":{\"durationMs\":" + millis + "}");
    if (runtime.alive()) {
      release(runtime);
    } else {
      drop(runtime);
    }
    return result;
  }

  private synchronized RuntimeProcess acquire() throws InterruptedException {
    long giveUp = System.currentTimeMillis() + function.timeoutSeconds() * 1000L + initTimeoutMillis;
    while (!closed) {
      idle.removeIf(r -> !r.alive());
      warming.removeIf(r -> !r.alive());
      all.removeIf(r -> !r.alive());
      RuntimeProcess runtime = idle.pollFirst();
      if (runtime == null) {
        // One being warmed is closer to ready than a new one: on two cores a second JVM start only slows both.
        runtime = warming.pollFirst();
      }
      if (runtime != null) {
        return runtime;
      }
      if (all.size() < function.maxConcurrency()) {
        return start();
      }
      long wait = giveUp - System.currentTimeMillis();
      if (wait <= 0) {
        return null;
      }
      wait(Math.min(wait, 500));
    }
    return null;
  }

  private RuntimeProcess start() {
    String refused = roleRefusal.apply(function);
    if (refused != null) {
      throw new RoleRefused(refused);
    }
    RuntimeProcess runtime = new RuntimeProcess(function, taskRoot, workDir, log, runtimeClassPath, baseEnvironment);
    all.add(runtime);
    return runtime;
  }

  private synchronized void release(RuntimeProcess runtime) {
    if (closed) {
      runtime.close();
      return;
    }
    idle.addFirst(runtime);
    notifyAll();
  }

  private synchronized void drop(RuntimeProcess runtime) {
    runtime.close();
    all.remove(runtime);
    idle.remove(runtime);
    notifyAll();
  }

  /** Lambda could not assume the function's role for a new runtime's credentials. */
  private static final class RoleRefused extends RuntimeException {
    RoleRefused(String message) {
      super(message);
    }
  }

  synchronized int runtimes() {
    return (int) all.stream().filter(RuntimeProcess::alive).count();
  }

  synchronized List<Long> pids() {
    return all.stream().filter(RuntimeProcess::alive).map(RuntimeProcess::pid).toList();
  }

  /** Lambda's platform lines (JSON log format), between the function's own lines in its log. */
  private void platformLine(String type, String requestId, String extra) {
    String line = "{\"time\":\"" + Instant.now() + "\",\"type\":\"" + type + "\",\"record\":{\"requestId\":\""
        + requestId + "\",\"version\":\"$LATEST\"" + (extra == null ? "" : "," + extra) + "}}\n";
    try {
      Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    List<RuntimeProcess> runtimes;
    synchronized (this) {
      closed = true;
      runtimes = new ArrayList<>(all);
      all.clear();
      idle.clear();
      warming.clear();
      notifyAll();
    }
    runtimes.parallelStream().forEach(RuntimeProcess::close);
  }

  /** The deployment package as Lambda lays it out in /var/task: a zip is unpacked, a folder is used as it is. */
  private static Path unpack(LambdaFunction function, Path target) {
    Path code = function.code();
    if (Files.isDirectory(code)) {
      return code.toAbsolutePath();
    }
    if (!Files.isRegularFile(code)) {
      throw new IllegalArgumentException("no deployment package for " + function.name() + " at " + code
          + " (build it first: ./mvnw -q install -DskipTests)");
    }
    try {
      Files.createDirectories(target);
      try (InputStream in = Files.newInputStream(code); ZipInputStream zip = new ZipInputStream(in)) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          Path out = target.resolve(entry.getName()).normalize();
          if (!out.startsWith(target)) {
            throw new IOException("zip entry outside the package: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(zip, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return target.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + code, e);
    }
  }
}
