package com.qualys.lambdascanner.local;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.LogDestination;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;

/**
 * The {@code Logging} template.yaml gives a state machine (level, execution data, its log group), passed to
 * CreateStateMachine as CloudFormation passes it: Step Functions checks there that the state machine's role may set
 * up the log delivery (the emulator does too, docs/local.md "Authorization").
 */
final class StateMachineLogging {

  private StateMachineLogging() {}

  /** The state machine's logging, or null when the template gives it none. */
  static LoggingConfiguration of(Template template, String stateMachineId, String account, String region) {
    Map<String, Object> logging = Template.map(template.properties(stateMachineId).get("Logging"));
    if (logging.isEmpty()) {
      return null;
    }
    List<?> destinations = logging.get("Destinations") instanceof List<?> list ? list : List.of();
    List<String> logGroupArns = destinations.stream()
        .map(d -> Template.map(Template.map(d).get("CloudWatchLogsLogGroup")).get("LogGroupArn"))
        .map(arn -> Template.map(arn).get("Fn::GetAtt") instanceof List<?> getAtt ? String.valueOf(getAtt.getFirst()) : "")
        .map(logGroupId -> Template.map(template.properties(logGroupId).get("LogGroupName")).get("Fn::Sub"))
        .map(name -> "arn:aws:logs:" + region + ":" + account + ":log-group:"
            + String.valueOf(name).replace("${AWS::StackName}", LocalAuthorization.STACK_NAME) + ":*")
        .toList();
    return LoggingConfiguration.builder()
        .level(LogLevel.fromValue(String.valueOf(logging.get("Level"))))
        .includeExecutionData(Boolean.TRUE.equals(logging.get("IncludeExecutionData")))
        .destinations(logGroupArns.stream()
            .map(arn -> LogDestination.builder()
                .cloudWatchLogsLogGroup(g -> g.logGroupArn(arn)).build())
            .toList())
        .build();
  }
}
