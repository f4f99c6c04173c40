"""Renders the IAM policies a deployed stack would have, from the project's own CloudFormation/SAM templates, for the
local emulator's authorization (Authorizer.java). Run with the Python that runs moto_server (samtranslator comes with
cfn-lint there).

stdin: {"otherRoles": [{"arn", "stack", "logicalId", "policies": [{"name", "document"}], "trust"}], "stacks": [{"template": path, "parameters": {...}, "stackName": s, "account": a, "region": r,
                    "physical": {logicalId: {"Ref": v, "Arn": v, ...}}}]}
stdout: {"roles": [{"arn", "stack", "logicalId", "policies": [{"name", "document"}], "trust"}],
         "resourcePolicies": [{"arns": [...], "stack", "logicalId", "document"}], "outputs": {stack: {...}},
         "unresolved": [...],
         "rules": [{"arn", "name", "eventBusName", "eventPattern", "state", "targets", "account", "region", ...}],
         "schedules": [{"arn", "name", "scheduleExpression", "target", ...}], "queues": [{"arn", "name", ...}],
         "buses": [{"arn", "name", ...}]}  (EventBridge, Scheduler and SQS resources, for the run to deploy in moto)

The SAM transform is samtranslator's (as `sam deploy` runs it), after the local CodeUri/DefinitionUri are replaced by
S3 URIs as `sam package` would. Intrinsics (Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::Join, Fn::Select, Fn::Split,
conditions) are resolved with the run's parameters and the physical names the local run gave its resources; a
resource the run did not name gets a name in CloudFormation's style (<stack>-<logicalId>).
"""

import json
import re
import sys

NO_VALUE = object()


class Resolver:
    def __init__(self, template, stack):
        self.resources = template.get("Resources", {})
        self.stack = stack
        self.account = stack["account"]
        self.region = stack["region"]
        self.name = stack["stackName"]
        self.parameters = {}
        self.list_parameters = {key: str(spec.get("Type", "")).startswith(("CommaDelimitedList", "List<"))
                                for key, spec in template.get("Parameters", {}).items()}
        for key, spec in template.get("Parameters", {}).items():
            value = stack.get("parameters", {}).get(key, spec.get("Default", ""))
            if isinstance(value, list):
                value = ",".join(value)
            self.parameters[key] = str(value) if not isinstance(value, str) else value
        self.condition_specs = template.get("Conditions", {})
        self.conditions = dict(stack.get("conditions", {}))
        self.mappings = template.get("Mappings", {})
        self.physical = stack.get("physical", {})
        self.unresolved = []

    def pseudo(self, name):
        return {
            "AWS::AccountId": self.account,
            "AWS::Region": self.region,
            "AWS::StackName": self.name,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackId": "arn:aws:cloudformation:%s:%s:stack/%s/local" % (self.region, self.account, self.name),
            "AWS::NotificationARNs": [],
        }.get(name)

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.resolve(self.condition_specs[name]))
        return self.conditions[name]

    def ref(self, name):
        if name == "AWS::NoValue":
            return NO_VALUE
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.parameters:
            if self.list_parameters.get(name):
                return self.parameters[name].split(",")
            return self.parameters[name]
        return self.attribute(name, "Ref")

    def attribute(self, logical_id, attribute):
        given = self.physical.get(logical_id, {})
        if attribute in given:
            return given[attribute]
        resource = self.resources.get(logical_id)
        if resource is None:
            self.unresolved.append("%s.%s" % (logical_id, attribute))
            return "unresolved:%s.%s" % (logical_id, attribute)
        kind = resource["Type"]
        props = resource.get("Properties", {})
        name = given.get("Name") or self.default_name(logical_id, kind, props)
        a, r = self.account, self.region
        arns = {
            "AWS::IAM::Role": "arn:aws:iam::%s:role%s%s" % (a, self.resolve(props.get("Path", "/")), name),
            "AWS::Lambda::Function": "arn:aws:lambda:%s:%s:function:%s" % (r, a, name),
            "AWS::S3::Bucket": "arn:aws:s3:::%s" % name,
            "AWS::SNS::Topic": "arn:aws:sns:%s:%s:%s" % (r, a, name),
            "AWS::SQS::Queue": "arn:aws:sqs:%s:%s:%s" % (r, a, name),
            "AWS::KMS::Key": "arn:aws:kms:%s:%s:key/%s" % (r, a, name),
            "AWS::StepFunctions::StateMachine": "arn:aws:states:%s:%s:stateMachine:%s" % (r, a, name),
            "AWS::SecretsManager::Secret": "arn:aws:secretsmanager:%s:%s:secret:%s" % (r, a, name),
            "AWS::Events::EventBus": "arn:aws:events:%s:%s:event-bus/%s" % (r, a, name),
            "AWS::Logs::LogGroup": "arn:aws:logs:%s:%s:log-group:%s:*" % (r, a, name),
            "AWS::Lambda::LayerVersion": "arn:aws:lambda:%s:%s:layer:%s:1" % (r, a, name),
            "AWS::Scheduler::Schedule": "arn:aws:scheduler:%s:%s:schedule/default/%s" % (r, a, name),
            "AWS::Events::Rule": "arn:aws:events:%s:%s:rule/%s%s" % (r, a, self.rule_bus(props), name),
        }
        arn = arns.get(kind, "arn:aws:local:%s:%s:%s" % (r, a, name))
        if kind == "AWS::Lambda::Alias":
            function = self.resolve(props["FunctionName"])
            arn = (function if function.startswith("arn:") else self.attribute_of_name(function)) + ":" + props["Name"]
            return arn
        if kind == "AWS::Lambda::Version":
            return self.resolve(props["FunctionName"]) + ":1"
        if attribute == "Arn":
            return arn
        if attribute == "Name" or attribute == "TopicName" or attribute == "QueueName":
            return name
        if attribute == "Ref":
            if kind in ("AWS::SNS::Topic", "AWS::StepFunctions::StateMachine", "AWS::SecretsManager::Secret",
                        "AWS::Lambda::LayerVersion", "AWS::Scheduler::Schedule"):
                return arn
            if kind == "AWS::SQS::Queue":
                return "https://sqs.%s.amazonaws.com/%s/%s" % (r, a, name)
            return name
        if attribute == "RoleId":
            return "AROALOCAL" + logical_id.upper()[:12]
        self.unresolved.append("%s.%s" % (logical_id, attribute))
        return "unresolved:%s.%s" % (logical_id, attribute)

    def rule_bus(self, props):
        bus = self.resolve(props.get("EventBusName", "default"))
        bus = bus.rsplit("/", 1)[-1] if isinstance(bus, str) else "default"
        return "" if bus == "default" else bus + "/"

    def attribute_of_name(self, function_name):
        return "arn:aws:lambda:%s:%s:function:%s" % (self.region, self.account, function_name)

    def default_name(self, logical_id, kind, props):
        for key in ("RoleName", "FunctionName", "BucketName", "TopicName", "QueueName", "StateMachineName", "Name",
                    "LogGroupName"):
            if key in props:
                value = self.resolve(props[key])
                if isinstance(value, str):
                    return value
        if kind == "AWS::KMS::Key":
            return "local-" + logical_id.lower()
        if kind == "AWS::IAM::Role":
            # CloudFormation's generated role names: <stack>-<logical id>-<random suffix>.
            return "%s-%s-LOCAL0SUFFIX" % (self.name, logical_id)
        return "%s-%s" % (self.name, logical_id)

    def sub(self, text, variables):
        def replace(match):
            expression = match.group(1)
            if expression.startswith("!"):
                return "${" + expression[1:] + "}"
            if expression in variables:
                return str(variables[expression])
            if "." in expression and not expression.startswith("AWS::"):
                logical_id, attribute = expression.split(".", 1)
                return str(self.attribute(logical_id, attribute))
            return str(self.ref(expression))

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def resolve(self, value):
        if isinstance(value, list):
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                parts = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.attribute(parts[0], parts[1])
            if key == "Fn::Sub":
                if isinstance(arg, list):
                    return self.sub(arg[0], {k: self.resolve(v) for k, v in arg[1].items()})
                return self.sub(arg, {})
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Join":
                return self.resolve(arg[0]).join(str(v) for v in self.resolve(arg[1]))
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key == "Fn::Split":
                return self.resolve(arg[1]).split(self.resolve(arg[0]))
            if key == "Fn::Equals":
                left, right = self.resolve(arg[0]), self.resolve(arg[1])
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in arg)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::FindInMap":
                names = [self.resolve(v) for v in arg]
                return self.mappings[names[0]][names[1]][names[2]]
            if key == "Fn::ImportValue":
                self.unresolved.append("ImportValue")
                return "unresolved:ImportValue"
        out = {}
        for k, v in value.items():
            resolved = self.resolve(v)
            if resolved is not NO_VALUE:
                out[k] = resolved
        return out


def sam_transform(template, region):
    import os

    from samtranslator.translator.transform import transform

    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "DefinitionUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = "s3://local-package/" + key

    class NoManagedPolicies:
        def load(self):
            return {}

    return transform(template, {}, NoManagedPolicies())


def from_environments(template, stack):
    """What the run's function variables say about the stack. A variable the template sets to !Ref <Parameter>: the
    run's value is the parameter's. One set to !If [<Condition>, !Ref <Resource>, '']: a non-empty value means the
    condition holds and names the resource (the chat topic a test created)."""
    parameters = dict(stack.get("parameters", {}))
    physical = dict(stack.get("physical", {}))
    conditions = {}
    for logical_id, variables in stack.get("environments", {}).items():
        resource = template.get("Resources", {}).get(logical_id, {})
        declared = resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
        for name, value in variables.items():
            ref = declared.get(name)
            if isinstance(ref, dict) and list(ref) == ["Ref"] and ref["Ref"] in template.get("Parameters", {}):
                parameters.setdefault(ref["Ref"], value)
            if (isinstance(ref, dict) and list(ref) == ["Fn::If"] and isinstance(ref["Fn::If"][1], dict)
                    and list(ref["Fn::If"][1]) == ["Ref"] and ref["Fn::If"][1]["Ref"] in template.get("Resources", {})
                    and value):
                conditions[ref["Fn::If"][0]] = True
                physical.setdefault(ref["Fn::If"][1]["Ref"], {"Ref": value})
    return parameters, physical, conditions


def render(stack, out):
    from samtranslator.yaml_helper import yaml_parse

    with open(stack["template"]) as f:
        template = yaml_parse(f.read())
    stack = dict(stack)
    stack["parameters"], stack["physical"], stack["conditions"] = from_environments(template, stack)
    for key, value in list(stack["parameters"].items()):
        if isinstance(value, dict) and "Output" in value:
            # An output of a stack rendered before this one (the spoke's HubRoleArns: the hub's SpokeTrustedRoleArns).
            stack["parameters"][key] = out["outputs"][value["stack"]][value["Output"]]
    if "Transform" in template:
        template = sam_transform(template, stack["region"])
    resolver = Resolver(template, stack)
    role_policies = []
    for logical_id, resource in template.get("Resources", {}).items():
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        kind = resource["Type"]
        props = resource.get("Properties", {})
        if kind == "AWS::IAM::Role":
            policies = [
                {"name": resolver.resolve(p.get("PolicyName", "policy%d" % i)),
                 "document": resolver.resolve(p["PolicyDocument"])}
                for i, p in enumerate(props.get("Policies", []))
            ]
            out["roles"].append({
                "arn": resolver.attribute(logical_id, "Arn"),
                "stack": stack["stackName"],
                "logicalId": logical_id,
                "policies": policies,
                "managedPolicyArns": resolver.resolve(props.get("ManagedPolicyArns", [])),
                "trust": resolver.resolve(props.get("AssumeRolePolicyDocument", {})),
            })
        elif kind == "AWS::IAM::RolePolicy":
            # A role's inline policy of its own (e.g. RunQScannerAssumesScanRole, apart to avoid a dependency cycle).
            role_policies.append((resolver.resolve(props["RoleName"]),
                                  {"name": resolver.resolve(props["PolicyName"]),
                                   "document": resolver.resolve(props["PolicyDocument"])}))
        elif kind == "AWS::S3::BucketPolicy":
            bucket = resolver.resolve(props["Bucket"])
            out["resourcePolicies"].append({"arns": ["arn:aws:s3:::" + bucket], "stack": stack["stackName"],
                                            "logicalId": logical_id,
                                            "document": resolver.resolve(props["PolicyDocument"])})
        elif kind == "AWS::KMS::Key":
            out["resourcePolicies"].append({"arns": [resolver.attribute(logical_id, "Arn")],
                                            "stack": stack["stackName"], "logicalId": logical_id,
                                            "document": resolver.resolve(props["KeyPolicy"])})
        elif kind == "AWS::SNS::TopicPolicy":
            out["resourcePolicies"].append({"arns": resolver.resolve(props["Topics"]), "stack": stack["stackName"],
                                            "logicalId": logical_id,
                                            "document": resolver.resolve(props["PolicyDocument"])})
        elif kind == "AWS::SQS::QueuePolicy":
            urls = resolver.resolve(props["Queues"])
            arns = []
            for url in urls:
                parts = url.rstrip("/").split("/")
                arns.append("arn:aws:sqs:%s:%s:%s" % (stack["region"], parts[-2], parts[-1]))
            out["resourcePolicies"].append({"arns": arns, "stack": stack["stackName"], "logicalId": logical_id,
                                            "document": resolver.resolve(props["PolicyDocument"])})
        elif kind == "AWS::Events::EventBus":
            arn = resolver.attribute(logical_id, "Arn")
            where = {"stack": stack["stackName"], "logicalId": logical_id, "account": stack["account"],
                     "region": stack["region"]}
            out["buses"].append(dict(where, arn=arn, name=resolver.attribute(logical_id, "Name")))
            if "Policy" in props:
                out["resourcePolicies"].append(dict(where, arns=[arn], document=resolver.resolve(props["Policy"])))
        elif kind == "AWS::Events::Rule":
            # The rules and their targets, for the run to deploy in moto (EventBus.java delivers the role targets).
            out["rules"].append({"arn": resolver.attribute(logical_id, "Arn"), "stack": stack["stackName"],
                                 "logicalId": logical_id, "account": stack["account"], "region": stack["region"],
                                 "name": resolver.default_name(logical_id, kind, props),
                                 "eventBusName": resolver.rule_bus(props).rstrip("/") or "default",
                                 "eventPattern": resolver.resolve(props.get("EventPattern")),
                                 "state": resolver.resolve(props.get("State", "ENABLED")),
                                 "targets": resolver.resolve(props.get("Targets", []))})
        elif kind == "AWS::Scheduler::Schedule":
            out["schedules"].append({"arn": resolver.attribute(logical_id, "Arn"), "stack": stack["stackName"],
                                     "logicalId": logical_id, "account": stack["account"], "region": stack["region"],
                                     "name": resolver.default_name(logical_id, kind, props),
                                     "scheduleExpression": resolver.resolve(props["ScheduleExpression"]),
                                     "flexibleTimeWindow": resolver.resolve(props.get("FlexibleTimeWindow", {})),
                                     "target": resolver.resolve(props["Target"])})
        elif kind == "AWS::SQS::Queue":
            out["queues"].append({"arn": resolver.attribute(logical_id, "Arn"), "stack": stack["stackName"],
                                  "logicalId": logical_id, "account": stack["account"], "region": stack["region"],
                                  "name": resolver.attribute(logical_id, "QueueName")})
        elif kind == "AWS::SecretsManager::ResourcePolicy":
            out["resourcePolicies"].append({"arns": [resolver.resolve(props["SecretId"])],
                                            "stack": stack["stackName"], "logicalId": logical_id,
                                            "document": resolver.resolve(props["ResourcePolicy"])})
    for role_name, policy in role_policies:
        owners = [r for r in out["roles"] if r["arn"].rsplit("/", 1)[-1] == role_name]
        if not owners:
            out["unresolved"].append("AWS::IAM::RolePolicy of role %s" % role_name)
        for role in owners:
            role["policies"].append(policy)
    outputs = out["outputs"].setdefault(stack["stackName"], {})
    for name, output in template.get("Outputs", {}).items():
        if "Condition" not in output or resolver.condition(output["Condition"]):
            outputs[name] = resolver.resolve(output["Value"])
    out["unresolved"].extend(sorted(set(resolver.unresolved)))


def main():
    request = json.load(sys.stdin)
    out = {"roles": [], "resourcePolicies": [], "outputs": {}, "unresolved": [], "rules": [], "schedules": [],
           "queues": [], "buses": []}
    for stack in request["stacks"]:
        render(stack, out)
    # Principals that are no part of the stack (a test's "another principal of the account"), as given.
    out["roles"].extend(request.get("otherRoles", []))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
