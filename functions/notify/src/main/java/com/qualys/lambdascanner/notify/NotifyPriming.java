package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;

/**
 * What Notify runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/notify/scanned.json} (JSON in through the real records, the service as far as its
 * first SDK call, refused in the process), that input written back out (the records' serialisers), then
 * EventBridge PutEvents and SNS Publish with made-up answers.
 */
final class NotifyPriming {

  private static final String PUBLISHED = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
      + "<PublishResult><MessageId>priming</MessageId></PublishResult>"
      + "<ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></PublishResponse>";

  private static final String PUT = "{\"FailedEntryCount\": 0, \"Entries\": [{\"EventId\": \"priming\"}]}";

  private NotifyPriming() {}

  static PrimingSteps steps(NotifyHandler handler, NotifyComponent component) {
    JsonCodec json = component.json();
    byte[] sample = PrimingSteps.sample(NotifyPriming.class, "/priming/scanned.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), RecordRequest.class)))
        // The handler stops at its first call (EventBridge, when scan events are on); PutEvents and SNS Publish on
        // their own, with made-up answers (nothing keeps them), so their response models and the query protocol's
        // XML reading load too.
        .step("putEvents", request -> PrimingSteps.signedFor(request, "events"), "application/x-amz-json-1.1", PUT,
            () -> component.eventBridge().putEvents(b -> b.entries(e -> e
                .source("priming").detailType("priming").detail("{}").eventBusName("priming"))))
        .step("publish", request -> PrimingSteps.signedFor(request, "sns"), "text/xml", PUBLISHED,
            () -> component.sns().publish(b -> b
                .topicArn("arn:aws:sns:us-east-1:123456789012:priming").subject("priming").message("priming")));
  }
}
