package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.NotificationResult;
import com.qualys.lambdascanner.common.model.RecordRequest;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.StoredRecord;
import com.qualys.lambdascanner.common.record.ResultRecord;
import com.qualys.lambdascanner.common.record.ResultRecordBuilder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes the scan's summary: a "Lambda Scan Completed" event on EventBridge (for automation), then the SNS
 * message (for people and their filter policies). The event goes first: if SNS then fails and the state machine
 * retries, the repeat lands on machines that can deduplicate on {@code scanId}, not in someone's inbox twice.
 * Delivery is at least once either way. Skips are not published (nothing happened that anyone must act on), except
 * an honoured opt-out.
 */
@Singleton
public final class Notify {

  static final String EVENT_SOURCE = "qualys.lambda-scanner";
  static final String EVENT_DETAIL_TYPE = "Lambda Scan Completed";

  private final SnsClient sns;
  private final EventBridgeClient events;
  private final NotifyConfig config;
  private final StructuredLog log;
  private final ResultRecordBuilder records;
  private final SummaryBuilder summaries;
  private final Clock clock;
  private final JsonCodec json;

  @Inject
  public Notify(
      SnsClient sns,
      EventBridgeClient events,
      NotifyConfig config,
      JsonCodec json,
      StructuredLog log,
      ResultRecordBuilder records,
      Clock clock) {
    this.sns = sns;
    this.events = events;
    this.config = config;
    this.log = log;
    this.records = records;
    this.summaries = new SummaryBuilder(json);
    this.json = json;
    this.clock = clock;
  }

  public NotificationResult notify(RecordRequest request) {
    ResultRecord record = records.build(request, clock.instant());
    // An honoured opt-out is published (issue 12): the security team must see every function its owner kept out of
    // scanning. Other skips (duplicate, deleted, the scanner itself) are not news.
    if (record.status() == RecordStatus.SKIPPED && record.skipReason() != SkipReason.EXCLUDED_BY_TAG) {
      log.info("skip not published", record.scanId(), Map.of("status", record.status().name()));
      // No message id: nothing was published.
      return new NotificationResult(false, config.topicArn(), null, null);
    }
    StoredRecord stored = request.state() == null ? null : request.state().record();
    SummaryBuilder.Built built = summaries.build(record, stored, config.alertOnNew());
    String subject = built.summary().headline();

    if (config.publishScanEvents()) {
      putEvent(built);
    }
    String messageId = publish(built, subject);
    String chat = chat(built.summary());

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("status", record.status().name());
    fields.put("topicArn", config.topicArn());
    fields.put("messageId", messageId);
    fields.put("subject", subject);
    fields.put("eventPublished", config.publishScanEvents());
    fields.put("alert", built.summary().alert());
    fields.put("chat", chat);
    log.info("scan summary published", record.scanId(), fields);
    return new NotificationResult(true, config.topicArn(), messageId, subject);
  }

  private String publish(SummaryBuilder.Built built, String subject) {
    try {
      return sns.publish(
              b -> b.topicArn(config.topicArn())
                  .subject(subject)
                  .message(built.json())
                  .messageAttributes(MessageAttributes.of(built.summary())))
          .messageId();
    } catch (AwsServiceException e) {
      throw classify("publish to " + config.topicArn(), e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach SNS to publish to " + config.topicArn(), e);
    }
  }

  /**
   * The chat copy (Slack, Teams through AWS Chatbot), after the findings message: best effort, so a chat outage
   * never costs the notification; a failure is a WARN line and the log's {@code chat} field.
   *
   * @return off, filtered (below CHAT_MIN_SEVERITY), sent or failed
   */
  private String chat(ScanSummary summary) {
    if (config.chatTopicArn().isEmpty()) {
      return "off";
    }
    if (!ChatMessage.wanted(summary, config.chatMin())) {
      return "filtered";
    }
    try {
      sns.publish(b -> b.topicArn(config.chatTopicArn()).message(ChatMessage.build(json, summary)));
      return "sent";
    } catch (AwsServiceException | SdkClientException e) {
      log.warn("cannot publish the chat notification; the findings message is sent", summary.scanId(),
          Map.of("chatTopicArn", config.chatTopicArn(), "errorType", e.getClass().getSimpleName()));
      return "failed";
    }
  }

  private void putEvent(SummaryBuilder.Built built) {
    ScanSummary s = built.summary();
    PutEventsRequestEntry.Builder entry =
        PutEventsRequestEntry.builder()
            .eventBusName(config.eventBusName())
            .source(EVENT_SOURCE)
            .detailType(EVENT_DETAIL_TYPE)
            .detail(built.json())
            .time(s.timings().recordedAt());
    if (s.functionArn() != null && s.functionArn().startsWith("arn:")) {
      entry.resources(s.functionArn());
    }
    List<PutEventsResultEntry> results;
    try {
      var response = events.putEvents(b -> b.entries(entry.build()));
      if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
        return;
      }
      results = response.entries();
    } catch (AwsServiceException e) {
      throw classify("put the scan event on bus " + config.eventBusName(), e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach EventBridge to put the scan event", e);
    }
    String code = results.isEmpty() ? "unknown" : results.getFirst().errorCode();
    String what = "EventBridge refused the scan event on bus " + config.eventBusName() + ": " + code;
    if ("ThrottlingException".equals(code) || "InternalFailure".equals(code) || "InternalException".equals(code)) {
      throw new RetryableException(what);
    }
    throw new TerminalException(what);
  }

  /**
   * Throttling and server errors heal; a missing topic or bus, a denied publish, a disabled KMS key do not (an
   * operator must act, and the execution fails so that the alarm fires).
   */
  static RuntimeException classify(String what, AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = "cannot " + what + ": " + code + " (HTTP " + e.statusCode() + ")";
    if (e.isThrottlingException()
        || e.statusCode() >= 500
        || e.statusCode() == 429
        || "Throttled".equals(code)
        || "KMSThrottling".equals(code)) {
      return new RetryableException(message);
    }
    return new TerminalException(message);
  }
}
