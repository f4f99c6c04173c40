"""AWS services acting as themselves, for moto_server (loaded by sitecustomize.py). On AWS only the resource's own
policy can allow such a request (a role's trust, a topic's or a key's policy); moto evaluates none. Each request is
asked of the local emulator's authorization (ServiceRequests.java, at $LOCAL_SERVICE_REQUESTS, which MotoServer sets
when a LocalLambda fronts moto): refused there, refused here, with the reason in moto's log and the emulator's.
Without $LOCAL_SERVICE_REQUESTS (a moto with no emulator in front) everything is allowed, as moto alone does.

1. CreateStateMachine and UpdateStateMachine (with a roleArn): Step Functions checks that states.amazonaws.com (or
   the regional states.<region>.amazonaws.com) may assume the role, and refuses the call otherwise with AccessDeniedException "Neither the global service principal
   states.amazonaws.com, nor the regional one is authorized to assume the provided role." The request carries the
   state machine's account and ARN (aws:SourceAccount, aws:SourceArn).

2. An alarm going into ALARM (SetAlarmState, or moto's own evaluation): moto keeps the alarm and runs none of its
   actions. CloudWatch publishes to each SNS topic among the alarm's AlarmActions as cloudwatch.amazonaws.com, with
   aws:SourceArn = the alarm's ARN and aws:SourceAccount = its account: the topic's policy must allow sns:Publish,
   and for a topic encrypted with a KMS key, the key's policy must allow the KMS requests SNS makes for the publisher
   (kms:GenerateDataKey* and kms:Decrypt, Amazon SNS's key management docs). Allowed: the alarm's notification is
   published (moto delivers it to the subscribers). Refused: nothing is delivered and moto's log says why; AWS drops
   it too (the alarm's history shows the failed action, nobody is told).
"""

import json
import os
import sys
import urllib.parse
import urllib.request

STATES_REFUSED = ("Neither the global service principal states.amazonaws.com, nor the regional one is authorized to "
                  "assume the provided role.")


def _log(message):
    sys.stderr.write("[local-emulator moto patch] %s\n" % message)


def service_request(principal, action, resource, context):
    """(allowed, why) from the emulator's authorization; allowed without one. An unreachable or confused emulator
    refuses: a request nobody could evaluate is not allowed."""
    url = os.environ.get("LOCAL_SERVICE_REQUESTS")
    if not url:
        return True, "no emulator enforces service requests"
    fields = {"principal": principal, "action": action, "resource": resource}
    fields.update({"context." + key: value for key, value in context.items()})
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode("utf8"), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read().decode("utf8"))
        return bool(answer["allowed"]), answer.get("message", "")
    except Exception as error:  # the evaluator's answer is the only way to allow
        return False, "the emulator's authorization did not answer: %r" % (error,)


def _patch_state_machine_role_trust():
    from moto.core.exceptions import AWSError
    from moto.stepfunctions.models import StepFunctionBackend

    class AccessDeniedException(AWSError):
        TYPE = "AccessDeniedException"
        STATUS = 400

    def require_trust(backend, name, role_arn):
        # As the error says: the global principal or the regional one (states.<region>.amazonaws.com) will do.
        arn = "arn:aws:states:%s:%s:stateMachine:%s" % (backend.region_name, backend.account_id, name)
        context = {"aws:SourceAccount": backend.account_id, "aws:SourceArn": arn}
        allowed, why = service_request("states.amazonaws.com", "sts:AssumeRole", role_arn, context)
        if not allowed:
            allowed, regional = service_request("states.%s.amazonaws.com" % backend.region_name, "sts:AssumeRole",
                                                role_arn, context)
            why += "; " + regional
        if not allowed:
            _log("state machine %s refused: states.amazonaws.com may not assume %s: %s" % (arn, role_arn, why))
            raise AccessDeniedException(STATES_REFUSED)

    create = StepFunctionBackend.create_state_machine
    update = StepFunctionBackend.update_state_machine

    def create_state_machine(self, name, definition, roleArn, *args, **kwargs):
        require_trust(self, name, roleArn)
        return create(self, name, definition, roleArn, *args, **kwargs)

    def update_state_machine(self, arn, definition=None, role_arn=None, *args, **kwargs):
        if role_arn:
            require_trust(self, arn.split(":")[-1], role_arn)
        return update(self, arn, definition, role_arn, *args, **kwargs)

    StepFunctionBackend.create_state_machine = create_state_machine
    StepFunctionBackend.update_state_machine = update_state_machine


def _key_arn(topic, account, region):
    """The topic's KMS key as an ARN (its attribute may be an id, an ARN or an alias)."""
    key = topic.kms_master_key_id
    if key.startswith("arn:"):
        if ":alias/" not in key:
            return key
        key = key.split(":", 5)[5]
    try:
        from moto.kms.models import kms_backends

        return kms_backends[account][region].describe_key(key).arn
    except Exception:  # an alias moto does not hold (alias/aws/sns): its ARN, which no policy of the stack names
        return "arn:aws:kms:%s:%s:%s" % (region, account, key if key.startswith("alias/") else "key/" + key)


def _notification(alarm, old_state, account, region):
    return json.dumps({
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account,
        "NewStateValue": alarm.state_value,
        "NewStateReason": alarm.state_reason,
        "StateChangeTime": alarm.state_updated_timestamp.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000",
        "Region": region,
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old_state,
        "Trigger": {"MetricName": alarm.metric_name, "Namespace": alarm.namespace, "Statistic": alarm.statistic,
                    "Period": alarm.period, "EvaluationPeriods": alarm.evaluation_periods,
                    "ComparisonOperator": alarm.comparison_operator, "Threshold": alarm.threshold},
    }, separators=(",", ":"))


def _publish_alarm(alarm, old_state):
    from moto.sns.models import sns_backends

    _, _, _, region, account, _ = alarm.alarm_arn.split(":", 5)
    context = {"aws:SourceArn": alarm.alarm_arn, "aws:SourceAccount": account}
    for action in alarm.alarm_actions or []:
        if not action.startswith("arn:aws:sns:"):
            continue
        topic_account, topic_region = action.split(":")[4], action.split(":")[3]
        sns = sns_backends[topic_account][topic_region]
        topic = sns.topics.get(action)
        if topic is None:
            _log("alarm %s: not delivered to %s: no such topic" % (alarm.alarm_arn, action))
            continue
        checks = [("sns:Publish", action)]
        if topic.kms_master_key_id:
            key = _key_arn(topic, topic_account, topic_region)
            checks += [("kms:GenerateDataKey", key), ("kms:Decrypt", key)]
        refused = None
        for check_action, resource in checks:
            allowed, why = service_request("cloudwatch.amazonaws.com", check_action, resource, context)
            if not allowed:
                refused = "%s on %s refused: %s" % (check_action, resource, why)
                break
        if refused:
            _log("alarm %s: not delivered to %s (AWS drops it too): %s" % (alarm.alarm_arn, action, refused))
            continue
        subject = 'ALARM: "%s" in %s' % (alarm.name, region)
        sns.publish(_notification(alarm, old_state, account, region), arn=action, subject=subject[:100])
        _log("alarm %s: delivered to %s as cloudwatch.amazonaws.com" % (alarm.alarm_arn, action))


def _patch_alarm_actions():
    from moto.cloudwatch.models import Alarm

    update_state = Alarm.update_state

    def _update_state(self, reason, reason_data, state_value):
        old_state = self.state_value
        update_state(self, reason, reason_data, state_value)
        if state_value == "ALARM" and old_state != "ALARM" and self.actions_enabled:
            _publish_alarm(self, old_state)

    Alarm.update_state = _update_state


PATCHES = (_patch_state_machine_role_trust, _patch_alarm_actions)
