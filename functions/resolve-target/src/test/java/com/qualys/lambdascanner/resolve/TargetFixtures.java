package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.util.List;

/** Targets by identity only, for the exclusion policy's checks. */
final class TargetFixtures {

  private TargetFixtures() {}

  static Target zip(String account, String region, String name) {
    String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    return new Target("aws", account, region, name, arn, "$LATEST", PackageType.ZIP, "java21", List.of(), null, null,
        null, List.of(), null);
  }
}
