"""Loaded into moto_server by MotoServer (local/emulator) through PYTHONPATH: fixes to moto 5.2.1 that bring its
Step Functions interpreter in line with AWS where the pipeline's state machine depends on it. Each is checked against
the installed moto and skipped (with a line in moto's log) when the code it fixes is not there.

1. A Task whose Resource is a Lambda function ARN: when Invoke fails in the Lambda service (HTTP 4xx/5xx with
   x-amzn-ErrorType, e.g. ServiceException or TooManyRequestsException), AWS names the error Lambda.<ErrorType>
   (Lambda.ServiceException, ...), the names the ASL's Retry matches. moto names it "Exception". moto's own
   arn:aws:states:::lambda:invoke integration already does it the AWS way; the same mapping is applied here.

2. StartExecution deep-copies the state machine including its past executions, and a finished execution holds a
   lock: every StartExecution after the first fails with "TypeError: cannot pickle '_thread.RLock' object". The copy
   (used for the new execution's definition only) now leaves the past executions out.

3. Lambda functions have a RevisionId on AWS (GetFunction, GetFunctionConfiguration), a new one after every
   UpdateFunctionCode and UpdateFunctionConfiguration; moto's functions have none (only its aliases do). Run QScanner
   compares it before and after a scan, so each function gets one, renewed by those two calls.
"""

import sys


def _log(message):
    sys.stderr.write("[local-emulator moto patch] %s\n" % message)


def _patch_lambda_service_errors():
    from botocore.exceptions import ClientError
    from moto.stepfunctions.parser.api import HistoryEventType, LambdaFunctionFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import StateTaskLambda
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    original = StateTaskLambda._from_error

    def _from_error(self, env, ex):
        if isinstance(ex, ClientError):
            error = "Lambda.%s" % ex.response["Error"]["Code"]
            cause = ex.response["Error"].get("Message", "")
            return FailureEvent(
                env=env,
                error_name=CustomErrorName(error),
                event_type=HistoryEventType.LambdaFunctionFailed,
                event_details=EventDetails(
                    lambdaFunctionFailedEventDetails=LambdaFunctionFailedEventDetails(error=error, cause=cause)
                ),
            )
        return original(self, env, ex)

    StateTaskLambda._from_error = _from_error


def _patch_state_machine_copy():
    import copy

    from moto.stepfunctions.models import StateMachineInstance

    def __deepcopy__(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            setattr(clone, key, [] if key == "executions" else copy.deepcopy(value, memo))
        return clone

    StateMachineInstance.__deepcopy__ = __deepcopy__


def _patch_function_revision_id():
    import uuid

    from moto.awslambda.models import LambdaFunction

    get_configuration = LambdaFunction.get_configuration
    update_configuration = LambdaFunction.update_configuration
    update_function_code = LambdaFunction.update_function_code

    def _revision(self, renew=False):
        if renew or not getattr(self, "_local_revision_id", None):
            self._local_revision_id = str(uuid.uuid4())
        return self._local_revision_id

    def _get_configuration(self, *args, **kwargs):
        config = get_configuration(self, *args, **kwargs)
        config.setdefault("RevisionId", _revision(self))
        return config

    def _update_configuration(self, *args, **kwargs):
        _revision(self, renew=True)
        return update_configuration(self, *args, **kwargs)

    def _update_function_code(self, *args, **kwargs):
        _revision(self, renew=True)
        return update_function_code(self, *args, **kwargs)

    LambdaFunction.get_configuration = _get_configuration
    LambdaFunction.update_configuration = _update_configuration
    LambdaFunction.update_function_code = _update_function_code


for _patch in (_patch_lambda_service_errors, _patch_state_machine_copy, _patch_function_revision_id):
    try:
        _patch()
        _log("applied " + _patch.__name__)
    except Exception as _error:  # an incompatible moto: run it as it is
        _log("skipped %s: %r" % (_patch.__name__, _error))
