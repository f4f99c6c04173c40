package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Trigger;

/** What an input asks for, decided before anything is described. */
sealed interface Intent {

  Trigger trigger();

  /**
   * Describe this function and decide.
   *
   * @param ref the validated function reference
   * @param force scan even if the same code was scanned (direct requests only)
   */
  record Resolve(Trigger trigger, FunctionRef ref, boolean force) implements Intent {}

  /**
   * Skip without describing anything.
   *
   * @param ref the function, where the input names a valid one; else null
   */
  record Skip(Trigger trigger, FunctionRef ref, SkipReason reason, String detail) implements Intent {}
}
