package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.regex.Pattern;

/**
 * @param topicArn the SNS topic ({@code TOPIC_ARN})
 * @param publishScanEvents whether to put a "Lambda Scan Completed" event ({@code PUBLISH_SCAN_EVENTS},
 *     default true)
 * @param eventBusName the bus for that event ({@code EVENT_BUS_NAME}, default {@code default})
 */
public record NotifyConfig(String topicArn, boolean publishScanEvents, String eventBusName) {

  private static final Pattern TOPIC_ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov):sns:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

  public static NotifyConfig from(Env env) {
    String topicArn = env.required("TOPIC_ARN");
    if (!TOPIC_ARN.matcher(topicArn).matches()) {
      throw new TerminalException("environment variable TOPIC_ARN is not an SNS topic ARN");
    }
    return new NotifyConfig(
        topicArn, env.flag("PUBLISH_SCAN_EVENTS", true), env.optional("EVENT_BUS_NAME", "default"));
  }
}
