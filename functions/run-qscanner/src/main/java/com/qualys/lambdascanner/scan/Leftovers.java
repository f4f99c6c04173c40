package com.qualys.lambdascanner.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and stops what a scanner run left behind after it exited. A child that qscanner daemonised (forked,
 * setsid, forked again) is re-parented away from the scanner, so {@link Process#descendants()} no longer lists
 * it; in a warm container it would outlive the invocation with the target's credentials in its environment.
 * Every process the run started inherits the environment built for it, whose {@code HOME} is this run's own
 * work folder: a process whose environment still holds that exact entry belongs to the run. A process that
 * rewrote its own environment escapes this check; it also no longer carries the credentials there.
 */
final class Leftovers {

  /** A daemon may be between its two forks when we look: a few sweeps catch the grandchild too. */
  private static final int SWEEPS = 5;

  private Leftovers() {}

  /**
   * Stops every process (other than this one) whose environment holds {@code entry}, e.g. {@code HOME=/tmp/...}.
   *
   * @return how many were stopped
   */
  static int stop(String entry) {
    byte[] needle = ("\0" + entry + "\0").getBytes(StandardCharsets.UTF_8);
    int stopped = 0;
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      List<ProcessHandle> found = find(needle);
      if (found.isEmpty()) {
        break;
      }
      ScannerProcess.stopAll(found);
      stopped += found.size();
    }
    return stopped;
  }

  private static List<ProcessHandle> find(byte[] needle) {
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.isAlive())
        .forEach(p -> {
          if (holds(environ(p.pid()), needle)) {
            found.add(p);
          }
        });
    return found;
  }

  /** The process's environment as /proc shows it, NUL-separated and framed by NULs; empty when unreadable. */
  private static byte[] environ(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      byte[] framed = new byte[raw.length + 2];
      System.arraycopy(raw, 0, framed, 1, raw.length);
      return framed;
    } catch (IOException | SecurityException notOurs) {
      // Another user's process, or gone already.
      return new byte[0];
    }
  }

  private static boolean holds(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
