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

4. A Distributed Map's ResultWriter (arn:aws:states:::s3:putObject) writes only a manifest.json whose ResultFiles
   lists are empty, and drops the results. AWS writes the children's results to <Prefix>/<map run id>/SUCCEEDED_0.json
   (a JSON array of {"Output": "<the child's output as a JSON string>", "Status": "SUCCEEDED", ...}) and lists that
   file in the manifest: the fleet workflow's Build Coverage reads them. The results are written the AWS way here.

5. moto's ASL grammar takes ToleratedFailurePercentage only as a decimal (10.0) and rejects an integer (10), which
   AWS accepts (its own examples write integers). Integers there are read as decimals before parsing.

6. The Step Functions service integration (arn:aws:states:::states:startExecution, .sync, .sync:2) hands the ASL's
   parameters to boto as written (StateMachineArn, Input) although boto's Step Functions model spells them
   stateMachineArn, input: every call fails with KeyError 'StateMachineArn'. Its responses stay boto-cased
   (executionArn), where AWS returns ExecutionArn, Status, Output. Both are now translated through boto's model, as
   moto's other integrations do (and LocalStack, which this interpreter comes from). A StartExecution without a Name
   gets a UUID, as in AWS (moto named every such execution "None"; the execution name is the scan id). The fleet
   workflow starts each scan this way.

7. Organizations ListAccounts answers any caller: a member account (one with no organization of its own) gets an
   empty list. On AWS only the management account or a delegated administrator may call it; any other member
   account gets AccessDeniedException, an account outside any organization AWSOrganizationsNotInUseException. The
   fleet's opt-in Organization listing depends on that refusal, so it is answered the AWS way here.

8. Every AWS call the interpreter makes for a state machine (Lambda Invoke, states:startExecution.sync:2, a
   Distributed Map's ItemReader and ResultWriter) is signed with the fixed key "ak", so nothing tells which state
   machine made it. On AWS they are made as the state machine's role: each such client now sends that role's ARN in
   the x-local-state-machine-role header, and the local emulator's authorization (Authorization.java) evaluates the
   call as that role.

9. ECR. GetAuthorizationToken gave every caller the same fixed password ("<account>-auth-token"), expired since 2015:
   each call now gets a fresh random password, valid 12 hours as on AWS, so the emulator's registry (EcrRegistry.java)
   can tell whose token a pull uses. An image function's ResolvedImageUri named sha256(ImageUri), an image that exists
   nowhere: when the image is in moto's ECR (pushed by the test harness), it now names that image's digest, as
   Lambda resolves the tag at deploy time (otherwise moto's stub stays).
10. AWS services acting as themselves (Step Functions assuming a state machine's role at CreateStateMachine,
   CloudWatch publishing an alarm to its topic): service_principals.py, beside this file, says how.
11. Step Functions checks permissions of the state machine's role that no request of the interpreter shows: when a
   state machine is created or updated, that the role may set up its log delivery (the permission-only logs: actions
   of AWS's "IAM policies for logging to CloudWatch Logs"; refused: AccessDeniedException "The state machine IAM Role
   is not authorized to access the Log Destination") and, for a .sync integration, the managed rule
   StepFunctionsGetEventsForStepFunctionsExecutionRule (refused: AccessDeniedException "... is not authorized to
   create managed-rule."); when a Distributed Map starts its child executions, states:StartExecution on its own state
   machine and states:DescribeExecution on the children (refused: the Map Run fails, States.Runtime). moto checks
   none: each is asked of the local emulator (RoleChecks.java, POST /_local/authorize) at that moment.
12. EventBridge targets that name a role (a state machine; another account's or region's bus): moto raised
   NotImplementedError for a state machine target, put on another bus without any role, looked for a bus named by ARN
   in the caller's own account, and named an unnamed StartExecution "None". moto_events.py, beside this file, says how
   the emulator's EventBus.java now delivers them.
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


def _patch_result_writer():
    import json

    from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
        ResourceEvalS3,
    )

    def _handle_put_object(env, resource_runtime_part, state_credentials):
        parameters = env.stack.pop()
        results = env.stack.pop()
        s3_client = ResourceEvalS3._get_s3_client(
            resource_runtime_part=resource_runtime_part, state_credentials=state_credentials
        )
        map_run_record = env.map_run_record_pool_manager.get_all().pop()
        map_run_uuid = map_run_record.map_run_arn.split(":")[-1]
        prefix = parameters.get("Prefix", "")
        if prefix != "" and not prefix.endswith("/"):
            prefix += "/"
        entries = [
            {
                "Output": json.dumps(result, separators=(",", ":")),
                "OutputDetails": {"Included": True},
                "Status": "SUCCEEDED",
                "StateMachineArn": map_run_record.map_run_arn,
            }
            for result in (results if isinstance(results, list) else [])
        ]
        files = []
        if entries:
            body = json.dumps(entries).encode("utf8")
            file_key = prefix + map_run_uuid + "/SUCCEEDED_0.json"
            s3_client.put_object(Bucket=parameters["Bucket"], Key=file_key, Body=body)
            files.append({"Key": file_key, "Size": len(body)})
        manifest = {
            "DestinationBucket": parameters["Bucket"],
            "MapRunArn": map_run_record.map_run_arn,
            "ResultFiles": {"FAILED": [], "PENDING": [], "SUCCEEDED": files},
        }
        key = prefix + map_run_uuid + "/manifest.json"
        s3_client.put_object(Bucket=parameters["Bucket"], Key=key, Body=json.dumps(manifest, indent=2).encode("utf8"))
        env.stack.append(
            {"MapRunArn": map_run_record.map_run_arn, "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": key}}
        )

    if not hasattr(ResourceEvalS3, "_handle_put_object"):
        raise AttributeError("ResourceEvalS3._handle_put_object")
    ResourceEvalS3._handle_put_object = staticmethod(_handle_put_object)


def _patch_integer_tolerated_failure_percentage():
    import re

    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    original = AmazonStateLanguageParser.parse
    integer = re.compile(r'("ToleratedFailurePercentage"\s*:\s*)(\d+)(\s*[,}])')

    def parse(definition):
        return original(integer.sub(r"\g<1>\g<2>.0\g<3>", definition))

    AmazonStateLanguageParser.parse = staticmethod(parse)


def _patch_sfn_integration_casing():
    import uuid

    import botocore.session

    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
        StateTaskServiceSfn,
    )

    model = botocore.session.get_session().get_service_model("stepfunctions")
    operations = {model.operation_model(name).name: model.operation_model(name) for name in model.operation_names}

    def operation(self, service_action_name):
        action = self._get_boto_service_action(service_action_name=service_action_name)
        return operations["".join(part.capitalize() for part in action.split("_"))]

    original_parameters = StateTaskServiceSfn._normalise_parameters
    original_response = StateTaskServiceSfn._normalise_response

    def _normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        original_parameters(self, parameters, boto_service_name, service_action_name)
        self._to_boto_request(parameters, operation(self, service_action_name).input_shape)
        if self._get_boto_service_action(service_action_name=service_action_name) == "start_execution":
            parameters.setdefault("name", str(uuid.uuid4()))

    def _normalise_response(self, response, boto_service_name=None, service_action_name=None):
        original_response(self, response, boto_service_name, service_action_name)
        self._from_boto_response(response, operation(self, service_action_name).output_shape)

    StateTaskServiceSfn._normalise_parameters = _normalise_parameters
    StateTaskServiceSfn._normalise_response = _normalise_response


def _patch_organizations_list_accounts():
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException, OrganizationsClientError
    from moto.organizations.models import OrganizationsBackend, organizations_backends

    class AccessDeniedException(OrganizationsClientError):
        def __init__(self):
            super().__init__("AccessDeniedException", "You don't have permissions to access this resource.")

    original = OrganizationsBackend.list_accounts

    def list_accounts(self, *args, **kwargs):
        if self.org is not None:
            return original(self, *args, **kwargs)
        membership = organizations_backends.master_accounts.get(self.account_id)
        if membership is None:
            raise AWSOrganizationsNotInUseException
        management = organizations_backends[membership[0]][membership[1]]
        if any(admin.account.id == self.account_id for admin in management.admins):
            return original(management, *args, **kwargs)
        raise AccessDeniedException()

    OrganizationsBackend.list_accounts = list_accounts


def _patch_state_machine_principal():
    import importlib

    from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

    original = boto_client_module.boto_client_for

    def boto_client_for(region, service, state_credentials=None):
        client = original(region=region, service=service, state_credentials=state_credentials)
        role_arn = getattr(state_credentials, "role_arn", None)
        if role_arn:
            def _add_role(request, **kwargs):
                request.headers["x-local-state-machine-role"] = role_arn

            client.meta.events.register("before-sign", _add_role)
        return client

    boto_client_module.boto_client_for = boto_client_for
    users = (
        "state_map.result_writer.resource_eval.resource_eval_s3",
        "state_map.item_reader.eval.resource_eval_s3",
        "state_task.lambda_eval_utils",
        "state_task.service.state_task_service_unsupported",
        "state_task.service.state_task_service_events",
        "state_task.service.state_task_service_sqs",
        "state_task.service.state_task_service_sfn",
        "state_task.service.state_task_service_sns",
        "state_task.service.state_task_service_aws_sdk",
        "state_task.service.state_task_service_dynamodb",
    )
    for name in users:
        try:
            module = importlib.import_module("moto.stepfunctions.parser.asl.component.state.exec." + name)
        except ImportError:
            continue
        if getattr(module, "boto_client_for", None) is original:
            module.boto_client_for = boto_client_for


def _patch_ecr_pull():
    import base64
    import datetime as _dt
    import secrets as _secrets
    from moto.awslambda.models import LambdaFunction
    from moto.ecr.models import ecr_backends
    from moto.ecr.responses import ECRResponse

    def get_authorization_token(self):
        registry_ids = self._get_param("registryIds") or [self.current_account]
        expires = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(hours=12)
        data = []
        for registry_id in registry_ids:
            password = _secrets.token_urlsafe(48)
            data.append({
                "authorizationToken": base64.b64encode(("AWS:" + password).encode("ascii")).decode(),
                "expiresAt": expires.timestamp(),
                "proxyEndpoint": "https://%s.dkr.ecr.%s.amazonaws.com" % (registry_id, self.region),
            })
        from moto.core.responses import ActionResult
        return ActionResult({"authorizationData": data})

    ECRResponse.get_authorization_token = get_authorization_token

    original = LambdaFunction._set_function_code

    def _set_function_code(self, updated_spec):
        original(self, updated_spec)
        uri = updated_spec.get("ImageUri") if isinstance(updated_spec, dict) else None
        if not uri or "/" not in uri:
            return
        name, _, digest = uri.partition("@")
        host, _, path = name.partition("/")
        repository, _, tag = path.partition(":")  # a repository name has no ':'
        parts = host.split(".")
        if len(parts) < 4 or parts[1] != "dkr" or parts[2] != "ecr":
            return
        try:
            backend = ecr_backends[parts[0]][parts[3]]
            image_id = {"imageDigest": digest} if digest else {"imageTag": tag or "latest"}
            images = backend.batch_get_image(repository_name=repository, image_ids=[image_id])["images"]
        except Exception:  # noqa: BLE001 - no such repository: moto's stub digest stays
            return
        if images:
            self.code_sha_256 = images[0].get_image_digest().replace("sha256:", "")

    LambdaFunction._set_function_code = _set_function_code


def _patch_state_machine_role_checks():
    # Patch 11 lives in its own module (moto_role_checks.py, beside this file).
    import moto_role_checks

    moto_role_checks.patch()



def _patch_events_role_targets():
    # Patch 12 lives in its own module (moto_events.py, beside this file).
    import moto_events

    moto_events.patch(_log)


from service_principals import PATCHES as _SERVICE_PRINCIPAL_PATCHES  # noqa: E402 (beside this file)
for _patch in (
    _patch_lambda_service_errors,
    _patch_state_machine_copy,
    _patch_function_revision_id,
    _patch_result_writer,
    _patch_integer_tolerated_failure_percentage,
    _patch_sfn_integration_casing,
    _patch_organizations_list_accounts,
    _patch_state_machine_principal,
    _patch_ecr_pull,
    _patch_state_machine_role_checks,
    _patch_events_role_targets,
) + _SERVICE_PRINCIPAL_PATCHES:
    try:
        _patch()
        _log("applied " + _patch.__name__)
    except Exception as _error:  # an incompatible moto: run it as it is
        _log("skipped %s: %r" % (_patch.__name__, _error))
