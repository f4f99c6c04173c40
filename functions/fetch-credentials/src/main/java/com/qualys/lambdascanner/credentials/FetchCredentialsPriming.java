package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What FetchCredentials runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on the sample
 * input {@code events/fetch-credentials/request.json} (JSON in through the real records, the service, every SDK call it makes as far as
 * the in-process refusal), then that input written back out (the records' serialisers).
 */
final class FetchCredentialsPriming {

  private static final String SAMPLE = "/priming/request.json";

  private FetchCredentialsPriming() {}

  static Map<String, Runnable> steps(FetchCredentialsHandler handler, JsonCodec json) {
    byte[] sample = sample();
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put("handler",
        () -> handler.handleRequest(new ByteArrayInputStream(sample), new ByteArrayOutputStream(), null));
    steps.put("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), FetchCredentialsRequest.class)));
    return steps;
  }

  private static byte[] sample() {
    try (InputStream in = FetchCredentialsPriming.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("the package has no " + SAMPLE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
