package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;

/**
 * What Notify runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/notify/scanned.json} (JSON in through the real records, the service as far as its
 * first SDK call, refused in the process), that input written back out (the records' serialisers), then an SNS
 * Publish with a made-up answer.
 */
final class NotifyPriming {

  private static final String PUBLISHED = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
      + "<PublishResult><MessageId>priming</MessageId></PublishResult>"
      + "<ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></PublishResponse>";

  private NotifyPriming() {}

  static PrimingSteps steps(NotifyHandler handler, NotifyComponent component) {
    JsonCodec json = component.json();
    byte[] sample = PrimingSteps.sample(NotifyPriming.class, "/priming/scanned.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)))
        // The handler stops at its first call (EventBridge, when scan events are on); SNS Publish on its own, with a
        // made-up answer (nothing keeps it), so the query protocol's XML reading loads too.
        .step("publish", request -> PrimingSteps.signedFor(request, "sns"), "text/xml", PUBLISHED,
            () -> component.sns().publish(b -> b
                .topicArn("arn:aws:sns:us-east-1:123456789012:priming").subject("priming").message("priming")));
  }
}
