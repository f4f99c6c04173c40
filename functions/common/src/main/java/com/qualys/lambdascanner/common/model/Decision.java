package com.qualys.lambdascanner.common.model;

import java.util.Objects;

/**
 * Scan, or skip with a reason. The state machine's Choice state reads {@code $.decision.action}.
 *
 * @param action SCAN or SKIP
 * @param reason why it is skipped (null when scanned)
 * @param detail a human-readable detail for the console and the record
 */
public record Decision(Action action, SkipReason reason, String detail) {

  public enum Action {
    SCAN,
    SKIP
  }

  public Decision {
    Objects.requireNonNull(action, "action");
    if (action == Action.SKIP) {
      Objects.requireNonNull(reason, "a skip needs a reason");
    }
  }

  public static Decision scan() {
    return new Decision(Action.SCAN, null, null);
  }

  public static Decision skip(SkipReason reason, String detail) {
    return new Decision(Action.SKIP, reason, detail);
  }
}
