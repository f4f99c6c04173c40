package com.qualys.lambdascanner.local;

import java.util.List;
import java.util.Map;

/**
 * How the emulator starts a SnapStart function: as Lambda starts it to take the snapshot, with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, so the Runtime Interface Client runs the {@code beforeCheckpoint}
 * hooks (the priming) at the end of init. {@link #ON_DEMAND} starts one the plain way.
 */
public final class SnapStart {

  public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
  public static final String SNAP_START = "snap-start";
  public static final Map<String, String> ON_DEMAND = Map.of(INITIALIZATION_TYPE, "on-demand");
  public static final Map<String, String> PRIMED = Map.of(INITIALIZATION_TYPE, SNAP_START);

  private SnapStart() {}

  /**
   * SnapStart on published versions, by the function's own setting or the template's Globals. The local run stands
   * for a region that offers SnapStart: a setting under {@code !If [SnapStartOffered, ...]} is its first branch.
   */
  public static boolean enabled(Template template, String logicalId) {
    return template.functionProperty(logicalId, "SnapStart")
        .map(SnapStart::whereOffered)
        .filter(Map.class::isInstance)
        .map(value -> "PublishedVersions".equals(((Map<?, ?>) value).get("ApplyOn")))
        .orElse(false);
  }

  private static Object whereOffered(Object setting) {
    if (setting instanceof Map<?, ?> map && map.get("Fn::If") instanceof List<?> branches && branches.size() == 3
        && "SnapStartOffered".equals(branches.getFirst())) {
      return branches.get(1);
    }
    return setting;
  }
}
