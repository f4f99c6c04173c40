package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ResolveTarget runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/resolve-target/wrapped-direct.json} (JSON in through the real records, the service as far as
 * its first SDK call, refused in the process), that input written back out, then the SDK calls the handler did
 * not reach: Lambda GetFunction and the S3 claim (the real {@link ClaimStore}).
 */
final class ResolveTargetPriming {

  private static final String SAMPLE = "/priming/wrapped-direct.json";

  private ResolveTargetPriming() {}

  static Map<String, Runnable> steps(ResolveTargetHandler handler, ResolveTargetComponent component) {
    byte[] sample = sample();
    JsonCodec json = component.json();
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put("handler",
        () -> handler.handleRequest(new ByteArrayInputStream(sample), new ByteArrayOutputStream(), null));
    steps.put("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), JsonNode.class)));
    // The handler stops at its first AWS call (the own account, from STS); the two calls after it, on their own.
    steps.put("getFunction", () -> component.lambdaClients().forRegion(component.config().defaultRegion())
        .getFunction(b -> b.functionName("priming")));
    steps.put("claim", () -> component.claims().claim("priming", "priming", false));
    return steps;
  }

  private static byte[] sample() {
    try (InputStream in = ResolveTargetPriming.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("the package has no " + SAMPLE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
