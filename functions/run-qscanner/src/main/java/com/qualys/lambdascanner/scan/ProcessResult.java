package com.qualys.lambdascanner.scan;

import java.time.Duration;

/**
 * How a scanner run ended.
 *
 * @param exitCode the exit code
 * @param stdout the tail of standard output
 * @param stderr the tail of standard error
 * @param duration how long it ran
 * @param leftovers how many processes it left running after it exited (all stopped)
 */
record ProcessResult(int exitCode, TailBuffer stdout, TailBuffer stderr, Duration duration, int leftovers) {}
