package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;

/**
 * What Notify runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/notify/scanned.json} (JSON in through the real records, the service as far as its
 * first SDK call, refused in the process), then that input written back out (the records' serialisers).
 */
final class NotifyPriming {

  private NotifyPriming() {}

  static PrimingSteps steps(NotifyHandler handler, JsonCodec json) {
    byte[] sample = PrimingSteps.sample(NotifyPriming.class, "/priming/scanned.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)));
  }
}
