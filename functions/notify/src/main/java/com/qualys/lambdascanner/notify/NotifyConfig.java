package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.regex.Pattern;

/**
 * @param topicArn the SNS topic ({@code TOPIC_ARN})
 * @param publishScanEvents whether to put a "Lambda Scan Completed" event ({@code PUBLISH_SCAN_EVENTS},
 *     default true)
 * @param eventBusName the bus for that event ({@code EVENT_BUS_NAME}, default {@code default})
 * @param chatTopicArn the topic AWS Chatbot (Slack, Teams) is subscribed to ({@code CHAT_TOPIC_ARN}), empty for none
 * @param chatMin what goes to chat ({@code CHAT_MIN_SEVERITY}, default 4: a severity or a risk band such as
 *     {@code risk:high}), see {@link ChatMessage#wanted}
 * @param alertOnNew {@code ALERT_ON_NEW_ONLY}: 0 (default) alerts on every scan; a severity 1 to 5 or a risk band
 *     ({@code risk:high}) only on a new finding that reaches it (and on failures), see {@link Alerts}
 */
public record NotifyConfig(
    String topicArn,
    boolean publishScanEvents,
    String eventBusName,
    Threshold alertOnNew,
    String chatTopicArn,
    Threshold chatMin) {

  public NotifyConfig(String topicArn, boolean publishScanEvents, String eventBusName) {
    this(topicArn, publishScanEvents, eventBusName, Threshold.OFF, "", Threshold.severity(4));
  }

  private static final Pattern TOPIC_ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov):sns:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

  public static NotifyConfig from(Env env) {
    String topicArn = env.required("TOPIC_ARN");
    if (!TOPIC_ARN.matcher(topicArn).matches()) {
      throw new TerminalException("environment variable TOPIC_ARN is not an SNS topic ARN");
    }
    Threshold alert = Threshold.parse("ALERT_ON_NEW_ONLY", env.optional("ALERT_ON_NEW_ONLY", "0"), true);
    String chatTopic = env.optional("CHAT_TOPIC_ARN", "");
    if (!chatTopic.isEmpty() && !TOPIC_ARN.matcher(chatTopic).matches()) {
      throw new TerminalException("environment variable CHAT_TOPIC_ARN is not an SNS topic ARN");
    }
    Threshold chatMin = Threshold.parse("CHAT_MIN_SEVERITY", env.optional("CHAT_MIN_SEVERITY", "4"), false);
    return new NotifyConfig(
        topicArn, env.flag("PUBLISH_SCAN_EVENTS", true), env.optional("EVENT_BUS_NAME", "default"), alert,
        chatTopic, chatMin);
  }
}
