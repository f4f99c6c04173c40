package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.ScanTimeoutException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs qscanner as a child process: argument list, an environment built from scratch, output drained on
 * background threads into bounded tails, the whole process tree killed when it outlives its deadline, and
 * after every run, however it ended, whatever it left running ({@link Leftovers}).
 */
final class ScannerProcess {

  static final int TAIL_BYTES = 64 * 1024;

  /** How long a process gets to go after a polite SIGTERM before SIGKILL. */
  private static final Duration TERM_GRACE = Duration.ofSeconds(2);

  private ScannerProcess() {}

  static ProcessResult run(List<String> command, Map<String, String> environment, Path workDir, Duration deadline) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    // Built from scratch: this function's own environment (its role credentials, AWS_LAMBDA_* ...) is not inherited.
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    TailBuffer stdout = new TailBuffer(TAIL_BYTES);
    TailBuffer stderr = new TailBuffer(TAIL_BYTES);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new TerminalException("cannot start qscanner at " + command.getFirst() + ": " + e.getMessage());
    }
    Thread out = drain(process.getInputStream(), stdout, "qscanner-stdout");
    Thread err = drain(process.getErrorStream(), stderr, "qscanner-stderr");
    String runMarker = environment.containsKey("HOME") ? "HOME=" + environment.get("HOME") : null;
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process);
        stopLeftovers(runMarker);
        join(out, err);
        throw new ScanTimeoutException(
            "qscanner did not finish within " + deadline.toSeconds() + "s and was stopped (with its children)");
      }
    } catch (InterruptedException e) {
      killTree(process);
      stopLeftovers(runMarker);
      Thread.currentThread().interrupt();
      throw new ScanTimeoutException("interrupted while waiting for qscanner; it was stopped");
    }
    // The scanner exited; a child it left behind would outlive the invocation with the target's credentials.
    int leftovers = stopLeftovers(runMarker);
    // With the leftovers gone nothing holds the pipes open any more; the joins are bounded all the same.
    join(out, err);
    return new ProcessResult(
        process.exitValue(), stdout, stderr, Duration.ofNanos(System.nanoTime() - started), leftovers);
  }

  private static int stopLeftovers(String runMarker) {
    return runMarker == null ? 0 : Leftovers.stop(runMarker);
  }

  /**
   * Stops the process and every descendant. The list is taken first: once the parent dies its children are
   * re-parented and no longer show up as its descendants.
   */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    stopAll(tree);
  }

  /** SIGTERM to all, then SIGKILL to whatever is still alive after {@link #TERM_GRACE}. */
  static void stopAll(List<ProcessHandle> tree) {
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TERM_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception stillAlive) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
  }

  private static Thread drain(InputStream in, TailBuffer tail, String name) {
    return Thread.ofPlatform()
        .name(name)
        .daemon(true)
        .start(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  tail.write(buffer, 0, n);
                }
              } catch (IOException closed) {
                // The process is gone; what was read is what we have.
              }
            });
  }

  private static void join(Thread... threads) {
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
