"""make iam-report: every statement of every role the stack creates, with the tested paths (test names) whose requests
it allowed (or, for a Deny, refused) under the local emulator's enforcement (docs/local.md, "Authorization"), and the statements no test used.

  python3 local/pipeline/iam-report.py [usage.tsv ...]     (default: every module's target/authz-usage.tsv)

The usage files are written by the integration tests (system property authz.usage: one line per allowing statement,
"<policy>#<Sid>\t<action>\t<Test#method>", and one per explicit Deny statement that refused a request, the same with
a fourth column "refused", shown as "refused: <tests>"): local/pipeline's end-to-end runs and the functions' own ITs (EnforcedAws). The statements are template.yaml's and templates/spoke.yaml's, rendered
with every optional feature on (hub mode, quarantine, tagging, Security Hub, chat), so that none is missed.
"""

import glob
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RENDER = os.path.join(ROOT, "local/emulator/src/main/resources/com/qualys/lambdascanner/emulator/authz/render_policies.py")
ACCOUNT, REGION, STACK = "123456789012", "us-east-1", "qualys-lambda-scanner"


def rendered():
    request = {"stacks": [
        {"template": os.path.join(ROOT, "template.yaml"), "stackName": STACK, "account": ACCOUNT, "region": REGION,
         "physical": {}, "parameters": {
             "DeploymentMode": "hub", "SpokeAccountIds": "210987654321", "SpokeExternalId": "local-external-id",
             "QuarantineOnDeny": "true", "TagScannedFunctions": "true", "SecurityHubExport": "true",
             "SlackWorkspaceId": "T0LOCAL", "SlackChannelId": "C0LOCAL"}},
        {"template": os.path.join(ROOT, "templates/spoke.yaml"), "stackName": "qualys-lambda-scanner-spoke",
         "account": "210987654321", "region": REGION, "physical": {}, "parameters": {
             "HubAccountId": ACCOUNT, "HubRegion": REGION, "ExternalId": "local-external-id",
             "HubRoleArns": {"stack": STACK, "Output": "SpokeTrustedRoleArns"}}}]}
    out = subprocess.run([sys.executable, RENDER], input=json.dumps(request), capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def statements(document, prefix):
    """Each statement's usage key and label: "<prefix>#<Sid>"; a statement without a Sid (those SAM generates) is known
    by its position, "<prefix>#<n>" from 1, as the evaluator (iam-simulate) names it."""
    listed = document.get("Statement", [])
    for index, statement in enumerate(listed if isinstance(listed, list) else [listed]):
        yield ("%s#%s" % (prefix, statement.get("Sid") or index + 1),
               statement.get("Sid") or "(statement %d)" % (index + 1))


def read_usage(lines, used, refused):
    """Adds each usage line's test to the statement's set: used (it allowed the request) or refused (an explicit Deny
    that refused it, fourth column "refused"). Any other line is not the emulator's and is skipped."""
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            used.setdefault(parts[0], set()).add(parts[2])
        elif len(parts) == 4 and parts[3] == "refused":
            refused.setdefault(parts[0], set()).add(parts[2])


def listed(tests):
    return ", ".join(tests[:4]) + (" and %d more" % (len(tests) - 4) if len(tests) > 4 else "")


def main():
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "**", "target", "authz-usage.tsv"), recursive=True))
    if not files:
        sys.exit("no target/authz-usage.tsv: run the integration tests first (make test, or a module's verify)")
    used, refused = {}, {}
    for name in files:
        if not os.path.exists(name):
            sys.exit("no %s: run the integration tests first (make test, or ./mvnw -pl local/pipeline verify)" % name)
        with open(name) as f:
            read_usage(f, used, refused)
    policies = rendered()
    unused = 0
    print("| role or resource | statement | tested paths that used it |")
    print("| --- | --- | --- |")
    entries = []
    for role in policies["roles"]:
        for policy in role["policies"]:
            for key, sid in statements(policy["document"], "%s.%s" % (role["logicalId"], policy["name"])):
                entries.append((role["logicalId"], sid, key))
        for key, sid in statements(role["trust"], "%s.trust" % role["logicalId"]):
            entries.append((role["logicalId"] + " (trust)", sid, key))
    for resource in policies["resourcePolicies"]:
        for key, sid in statements(resource["document"], resource["logicalId"]):
            entries.append((resource["logicalId"], sid, key))
    for owner, sid, key in entries:
        tests, refusing = sorted(used.get(key, ())), sorted(refused.get(key, ()))
        if not tests and not refusing:
            unused += 1
        shown = "; ".join(filter(None, [listed(tests), "refused: " + listed(refusing) if refusing else ""]))
        print("| %s | %s | %s |" % (owner, sid, shown or "**none**"))
    print("\n%d statements, %d used by no test" % (len(entries), unused))


if __name__ == "__main__":
    main()
