package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What StoreResults runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/store-results/scanned.json} (JSON in through the real records, the service as
 * far as its first SDK call, refused in the process), then that input written back out (the records' serialisers),
 * then the S3 calls every store makes after that first one: GetObject (the findings index) and PutObject (the
 * record), each with a made-up answer so that its response model loads too.
 */
final class StoreResultsPriming {

  private StoreResultsPriming() {}

  static PrimingSteps steps(StoreResultsHandler handler, StoreResultsComponent component) {
    JsonCodec json = component.json();
    S3Client s3 = component.s3();
    byte[] sample = PrimingSteps.sample(StoreResultsPriming.class, "/priming/scanned.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)))
        .step("getObject", request -> PrimingSteps.signedFor(request, "s3"), "application/json", "{}",
            () -> s3.getObjectAsBytes(b -> b.bucket("priming").key("priming")).asUtf8String())
        .step("putObject", request -> PrimingSteps.signedFor(request, "s3"), "application/xml", "",
            () -> s3.putObject(b -> b.bucket("priming").key("priming").contentType("application/json"),
                RequestBody.fromString("{}")));
  }
}
