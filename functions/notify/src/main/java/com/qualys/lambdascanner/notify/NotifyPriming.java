package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Notify runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on the sample
 * input {@code events/notify/scanned.json} (JSON in through the real records, the service, every SDK call it makes as far as
 * the in-process refusal), then that input written back out (the records' serialisers).
 */
final class NotifyPriming {

  private static final String SAMPLE = "/priming/scanned.json";

  private NotifyPriming() {}

  static Map<String, Runnable> steps(NotifyHandler handler, JsonCodec json) {
    byte[] sample = sample();
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put("handler",
        () -> handler.handleRequest(new ByteArrayInputStream(sample), new ByteArrayOutputStream(), null));
    steps.put("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)));
    return steps;
  }

  private static byte[] sample() {
    try (InputStream in = NotifyPriming.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("the package has no " + SAMPLE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
