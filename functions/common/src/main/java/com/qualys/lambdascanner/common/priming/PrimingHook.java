package com.qualys.lambdascanner.common.priming;

import com.qualys.lambdascanner.common.log.StructuredLog;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A SnapStart function's {@code beforeCheckpoint} hook: Lambda's runtime calls it once, at the end of the init
 * phase, before it takes the snapshot (the local emulator does the same for functions it runs as SnapStart ones).
 * It runs the function's priming steps with {@link Priming} on, and logs one line with each step's outcome.
 *
 * <p>Nothing needs redoing after the restore: priming opens no connection, fetches no credential and keeps nothing
 * random (the SDK's invocation ids and the scan ids are drawn per request, from {@code SecureRandom}).
 */
public final class PrimingHook implements Resource {

  private final Priming priming;
  private final StructuredLog log;
  private final Supplier<PrimingSteps> steps;

  private PrimingHook(Priming priming, StructuredLog log, Supplier<PrimingSteps> steps) {
    this.priming = priming;
    this.log = log;
    this.steps = steps;
  }

  /**
   * Registers the hook with the runtime's global context. The context holds it weakly: keep the returned hook in a
   * field of the handler.
   */
  public static PrimingHook register(Priming priming, StructuredLog log, Supplier<PrimingSteps> steps) {
    PrimingHook hook = new PrimingHook(priming, log, steps);
    Core.getGlobalContext().register(hook);
    return hook;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    PrimingSteps primingSteps = steps.get();
    Map<String, Object> outcomes = priming.run(primingSteps.steps(), primingSteps.answers());
    log.info("primed before the snapshot", "priming", outcomes);
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // nothing to renew: see the class comment
  }
}
