"""README "General usage", "Commands" and "Exit Codes": `qscanner [global flags] <command> [flags] <target>`, the
flags the pipeline may pass, and exit code 2 for anything the real binary would refuse."""
import datetime
import json
import re
import sys

VERSION = "4.8.0-standin"

VALUE_FLAGS = {
    "--pod", "--gateway-url", "--mode", "--scan-types", "--output-dir", "--cache-dir", "--format",
    "--report-format", "--scan-timeout", "--policy-tags", "--log-level", "--access-token", "--client-id",
    "--client-secret", "--proxy", "--max-network-retries", "--network-retry-wait-min",
    "--network-retry-wait-max", "--exclude-dirs", "--exclude-files", "--registry-username",
    "--registry-password", "--registry-token", "--platform", "--java-db-update-interval",
}
BOOL_FLAGS = {
    "--allow-partial-scan", "--quiet", "--file-logging", "--skip-verify-tls", "--cache-auth-token",
    "--offline-scan", "--skip-java-db-update",
}
SECRET_FLAGS = {"--access-token", "--client-secret", "--registry-password", "--registry-token"}
# README "Pod Identifiers" (production pods).
PODS = {"US1", "US2", "US3", "US4", "EU1", "EU2", "EU3", "IN1", "CA1", "AE1", "UK1", "AU1", "KSA1"}
# README "Modes".
MODES = {"inventory-only", "scan-only", "get-report", "evaluate-policy"}
# README "Output Formats" and "Report Formats".
FORMATS = {"json", "spdx", "spdx-tlv", "cyclonedx", "table", "db"}
REPORT_FORMATS = {"table", "sarif", "json", "gitlab"}
SCAN_TYPES = {"os", "pkg", "sca", "secret", "malware", "fileinsight", "compliance"}
COMMANDS = {"lambda", "image", "tar", "repo", "rootfs", "configure", "clear-local-cache"}
LOG_LEVELS = {"trace", "debug", "info", "warn", "error", "fatal", "panic"}
DURATION = re.compile(r"^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h))+$")
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)")
UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
LAMBDA_ARN = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_$-]+))?$")

# README "Exit Codes".
EXIT_SUCCESS, EXIT_GENERIC_ERROR, EXIT_INVALID_PARAMETER, EXIT_LOGGER_INIT_FAILED = 0, 1, 2, 3
EXIT_IMAGE_ARTIFACT_FAILED, EXIT_OTHER_ARTIFACT_FAILED = 6, 10
EXIT_CHANGELIST_UPLOAD_FAILED = 33
EXIT_FAILED_TO_GET_VULN_REPORT, EXIT_POLICY_EVALUATION_DENY, EXIT_POLICY_EVALUATION_AUDIT = 40, 42, 43
MESSAGES = {
    0: "scan completed",
    1: "generic error",
    2: "invalid parameter",
    10: "artifact failed: lambda:GetFunction returned AccessDeniedException",
    33: "output handling failed: changelist upload: 503 Service Unavailable",
    40: "failed to get the vulnerability report",
    42: "policy evaluation result: DENY",
    43: "policy evaluation result: AUDIT",
}


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def log(level, msg, **fields):
    line = {"level": level, "time": now(), "msg": msg}
    line.update(fields)
    print(json.dumps(line), file=sys.stderr, flush=True)


def fail(code, message):
    print("Error: " + message, file=sys.stderr, flush=True)
    sys.exit(code)


def seconds(duration):
    """A Go duration (300s, 1m30s) in seconds."""
    return sum(float(n) * UNIT_SECONDS[unit] for n, unit in DURATION_PART.findall(duration))


def parse(argv, refused=()):
    """Flags (`--flag value`, `--flag=value`, booleans bare or `=true|false`) and positional words. `refused`: flags
    scenarios.json says this binary does not know (a stand-in for an older or newer build)."""
    flags, positional = {}, []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in refused:
                fail(EXIT_INVALID_PARAMETER, "unknown flag: " + name)
            if name in VALUE_FLAGS:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        fail(EXIT_INVALID_PARAMETER, "flag needs an argument: " + name)
                    value = argv[i]
                flags[name] = value
            elif name in BOOL_FLAGS:
                if eq and value not in ("true", "false"):
                    fail(EXIT_INVALID_PARAMETER, "invalid argument %r for %s" % (value, name))
                flags[name] = value if eq else "true"
            elif name == "--version" and not eq:
                flags[name] = "true"
            else:
                fail(EXIT_INVALID_PARAMETER, "unknown flag: " + name)
        elif arg.startswith("-") and arg != "-":
            fail(EXIT_INVALID_PARAMETER, "unknown shorthand flag: " + arg)
        else:
            positional.append(arg)
        i += 1
    return flags, positional


def validate(flags, positional):
    """The command and its target, or exit 2 as the binary would."""
    if not positional:
        fail(EXIT_INVALID_PARAMETER, "a command is required: lambda, image, ...")
    command = positional[0]
    if command not in COMMANDS:
        fail(EXIT_INVALID_PARAMETER, "unknown command %r" % command)
    if command not in ("lambda", "image", "rootfs"):
        fail(EXIT_INVALID_PARAMETER, "the stand-in implements only the lambda, image and rootfs commands")
    if len(positional) != 2:
        fail(EXIT_INVALID_PARAMETER, "%s takes exactly one target" % command)
    mode = flags.get("--mode", "get-report")
    if mode not in MODES:
        fail(EXIT_INVALID_PARAMETER, "invalid --mode %r" % mode)
    # README "Modes": only the modes that talk to Qualys need a pod (FAQ Q1).
    if mode != "inventory-only" and "--pod" not in flags and "--gateway-url" not in flags:
        fail(EXIT_INVALID_PARAMETER, "either --pod or --gateway-url is required")
    if "--pod" in flags and flags["--pod"] not in PODS:
        fail(EXIT_INVALID_PARAMETER, "invalid --pod %r" % flags["--pod"])
    for inventory_format in flags.get("--format", "json").split(","):
        if inventory_format not in FORMATS:
            fail(EXIT_INVALID_PARAMETER, "invalid --format %r" % inventory_format)
    for report_format in flags.get("--report-format", "sarif").split(","):
        if report_format not in REPORT_FORMATS:
            fail(EXIT_INVALID_PARAMETER, "invalid --report-format %r" % report_format)
    for scan_type in flags.get("--scan-types", "pkg").split(","):
        if scan_type not in SCAN_TYPES:
            fail(EXIT_INVALID_PARAMETER, "invalid --scan-types entry %r" % scan_type)
    for name in ("--scan-timeout", "--network-retry-wait-min", "--network-retry-wait-max", "--java-db-update-interval"):
        if name in flags and not DURATION.match(flags[name]):
            fail(EXIT_INVALID_PARAMETER, "invalid %s %r (a duration such as 300s or 5m)" % (name, flags[name]))
    if "--max-network-retries" in flags and not re.match(r"^\d{1,3}$", flags["--max-network-retries"]):
        fail(EXIT_INVALID_PARAMETER, "invalid --max-network-retries %r" % flags["--max-network-retries"])
    if flags.get("--log-level", "info") not in LOG_LEVELS:
        fail(EXIT_INVALID_PARAMETER, "invalid --log-level %r" % flags["--log-level"])
    if "--platform" in flags and (command != "image" or not re.match(r"^linux/(amd64|arm64)$", flags["--platform"])):
        fail(EXIT_INVALID_PARAMETER, "invalid --platform %r (image only: linux/amd64 or linux/arm64)" % flags["--platform"])
    # README "Use Cases", "CI-CD pipeline": `--mode get-report --policy-tags dev,all image openjdk`.
    if "--policy-tags" in flags and mode not in ("get-report", "evaluate-policy"):
        fail(EXIT_INVALID_PARAMETER, "--policy-tags needs --mode get-report or evaluate-policy")
    return command, positional[1]
