package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * EventBridge Scheduler firing a schedule now: moto keeps schedules (CreateSchedule) but never fires them. As Scheduler
 * does, {@code scheduler.amazonaws.com} assumes the schedule's role (its trust policy alone decides, with
 * {@code aws:SourceAccount} = the schedule's account and {@code aws:SourceArn} = the schedule), and that role's
 * session calls the target through {@link LocalLambda}'s forwarder, enforced as the role. The target here is a state
 * machine ({@code states:StartExecution} with the schedule's input); Scheduler's universal targets are not emulated.
 */
public final class Scheduler {

  static final String SERVICE = "scheduler.amazonaws.com";

  /** A firing: the target call's answer (StartExecution's {@code executionArn}), or why there was none. */
  public record Firing(boolean started, String executionArn, String error) {}

  private final ServiceCalls calls;

  /** Fires through {@code lambda} (which forwards to {@code moto}); {@code authorization} null: not enforced. */
  public Scheduler(LocalLambda lambda, URI moto, Authorization authorization) {
    this.calls = new ServiceCalls(authorization, lambda.endpoint(), moto);
  }

  /**
   * Fires the schedule {@code scheduleArn} now: its target {@code targetArn} (a state machine) started by its role
   * {@code roleArn} with {@code input}, as GetSchedule returns them.
   */
  public Firing fire(String scheduleArn, String targetArn, String roleArn, String input) {
    Map<String, Object> source = Map.of("aws:SourceAccount", scheduleArn.split(":")[4], "aws:SourceArn", scheduleArn);
    Authorization.Decision trust = calls.asService(SERVICE, "sts:AssumeRole", roleArn, source);
    if (!trust.allowed()) {
      return new Firing(false, null, "scheduler.amazonaws.com could not assume " + roleArn);
    }
    if (!targetArn.split(":")[2].equals("states")) {
      return new Firing(false, null, "the emulator fires state machine targets only: " + targetArn);
    }
    try {
      String key = calls.session(roleArn, ServiceCalls.sessionName("scheduler"));
      ServiceCalls.Answer answer = calls.startExecution(key, targetArn, input == null ? "{}" : input);
      return answer.ok()
          ? new Firing(true, ServiceCalls.parse(answer.body()).path("executionArn").asText(), null)
          : new Firing(false, null, answer.errorType() + ": " + answer.body());
    } catch (IOException e) {
      return new Firing(false, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Firing(false, null, e.toString());
    }
  }
}
