"""Patch 11 of sitecustomize.py (its docstring says what and why): the permissions Step Functions checks on a state
machine's role with no request of the interpreter's own, asked of the local emulator (RoleChecks.java) at the moment
AWS checks them, and refused as Step Functions refuses them."""
def _authorize(role_arn, action, resource, region):
    """The emulator's decision for a check Step Functions makes as the role: (allowed, message)."""
    import json
    import os
    import urllib.error
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode({"role": role_arn, "action": action, "resource": resource, "region": region})
    url = "http://localhost:%s/_local/authorize" % os.environ.get("MOTO_PORT", "5000")
    try:
        with urllib.request.urlopen(url, data=body.encode("utf8"), timeout=30) as answer:
            decision = json.loads(answer.read().decode("utf8"))
    except urllib.error.HTTPError:
        return True, ""  # moto on its own port (no emulator in front): nothing is enforced
    return bool(decision.get("allowed")), decision.get("message", "")


def patch():
    from moto.core.exceptions import AWSError
    from moto.stepfunctions.models import StepFunctionBackend
    from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
        DistributedIterationComponent,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    class AccessDeniedException(AWSError):
        TYPE = "AccessDeniedException"
        STATUS = 400

    log_delivery = ("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies", "logs:DescribeLogGroups")
    managed_rule = ("events:PutTargets", "events:PutRule", "events:DescribeRule")

    def _check_role(backend, role_arn, definition, logging_configuration):
        region, account = backend.region_name, backend.account_id
        if role_arn and definition and ".sync" in definition:
            rule = "arn:aws:events:%s:%s:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule" % (region, account)
            for action in managed_rule:
                allowed, _ = _authorize(role_arn, action, rule, region)
                if not allowed:
                    raise AccessDeniedException("'%s' is not authorized to create managed-rule." % role_arn)
        destinations = (logging_configuration or {}).get("destinations") or []
        if role_arn and destinations and (logging_configuration or {}).get("level", "OFF") != "OFF":
            for action in log_delivery:
                allowed, _ = _authorize(role_arn, action, "*", region)
                if not allowed:
                    raise AccessDeniedException("The state machine IAM Role is not authorized to access the Log "
                                                "Destination")

    original_create = StepFunctionBackend.create_state_machine
    original_update = StepFunctionBackend.update_state_machine

    def create_state_machine(self, name, definition, roleArn, *args, **kwargs):
        _check_role(self, roleArn, definition, kwargs.get("loggingConfiguration"))
        return original_create(self, name, definition, roleArn, *args, **kwargs)

    def update_state_machine(self, arn, definition=None, role_arn=None, logging_configuration=None, *args, **kwargs):
        machine = self.describe_state_machine(arn)
        _check_role(self, role_arn or machine.roleArn, definition or machine.definition,
                    logging_configuration or getattr(machine, "loggingConfiguration", None))
        return original_update(self, arn, definition, role_arn, logging_configuration, *args, **kwargs)

    StepFunctionBackend.create_state_machine = create_state_machine
    StepFunctionBackend.update_state_machine = update_state_machine

    original_map_run = DistributedIterationComponent._map_run

    def _map_run(self, env, eval_input):
        # The children are executions of this same state machine, named <machine>/<map run label>:<id>.
        record = eval_input.map_run_record
        execution_arn = record.execution_arn
        prefix, _, _ = execution_arn.rpartition(":")
        machine = prefix.replace(":execution:", ":stateMachine:")
        child = "%s/%s:%s" % (prefix, record.map_run_arn.split("/")[-1].split(":")[0], "child")
        region = execution_arn.split(":")[3]
        role_arn = env.aws_execution_details.role_arn
        for action, resource in (("states:StartExecution", machine), ("states:DescribeExecution", child)):
            allowed, message = _authorize(role_arn, action, resource, region)
            if not allowed:
                env.stack.pop()
                raise FailureEventException(
                    failure_event=FailureEvent(
                        env=env,
                        error_name=StatesErrorName(typ=StatesErrorNameType.StatesRuntime),
                        event_type=HistoryEventType.TaskFailed,
                        event_details=EventDetails(
                            taskFailedEventDetails=TaskFailedEventDetails(
                                error=StatesErrorNameType.StatesRuntime.to_name(), cause=message
                            )
                        ),
                    )
                )
        return original_map_run(self, env, eval_input)

    DistributedIterationComponent._map_run = _map_run

