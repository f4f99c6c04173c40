package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import java.util.Map;

/**
 * What ResolveTarget runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/resolve-target/wrapped-direct.json} (JSON in through the real records, the
 * service as far as its first SDK call, refused in the process), that input written back out, then the SDK calls
 * the handler did not reach: Lambda GetFunction and the S3 claim (the real {@link ClaimStore}).
 */
final class ResolveTargetPriming {

  private ResolveTargetPriming() {}

  static Map<String, Runnable> steps(ResolveTargetHandler handler, ResolveTargetComponent component) {
    JsonCodec json = component.json();
    byte[] sample = PrimingSteps.sample(ResolveTargetPriming.class, "/priming/wrapped-direct.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), JsonNode.class)))
        // The handler stops at its first AWS call (the own account, from STS); the two calls after it, on their own.
        .step("getFunction", () -> component.lambdaClients().forRegion(component.config().defaultRegion())
            .getFunction(b -> b.functionName("priming")))
        .step("claim", () -> component.claims().claim("priming", "priming", false))
        .steps();
  }
}
