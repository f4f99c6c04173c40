package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;

/**
 * What StoreResults runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/store-results/scanned.json} (JSON in through the real records, the service as
 * far as its first SDK call, refused in the process), then that input written back out (the records' serialisers).
 */
final class StoreResultsPriming {

  private StoreResultsPriming() {}

  static PrimingSteps steps(StoreResultsHandler handler, JsonCodec json) {
    byte[] sample = PrimingSteps.sample(StoreResultsPriming.class, "/priming/scanned.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)));
  }
}
