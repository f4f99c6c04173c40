"""One run, in the order the README describes: arguments, environment, target, data collection (java-db, the
inventory and SBOMs), the backend (report polling), the report, the exit code."""
import hashlib
import os
import re
import sys

from . import aws, backend, javadb, outputs, registry, reports, scenarios
from .cli import (EXIT_IMAGE_ARTIFACT_FAILED, EXIT_INVALID_PARAMETER, EXIT_LOGGER_INIT_FAILED, EXIT_OTHER_ARTIFACT_FAILED,
                  LAMBDA_ARN, MESSAGES, VERSION, fail, log, parse, validate)

IMAGE_REF = re.compile(r"^[a-z0-9.-]+(?::\d+)?(?:/[a-z0-9._-]+)+(?:@sha256:[a-f0-9]{64}|:[A-Za-z0-9._-]+)$")
ECR = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/")


def check_target(command, target, flags, scenario):
    """README "Commands": lambda needs AWS_REGION (the function's) and AWS credentials; an ECR image needs registry
    credentials (QSCANNER_REGISTRY_USERNAME / _PASSWORD, or the flags)."""
    if command == "lambda":
        if not os.environ.get("AWS_REGION"):
            fail(EXIT_INVALID_PARAMETER, "AWS_REGION is required for the lambda command")
        match = LAMBDA_ARN.match(target)
        if not match:
            fail(EXIT_INVALID_PARAMETER, "target is not a Lambda function ARN: %r" % target)
        if match.group(2) != os.environ["AWS_REGION"]:
            fail(EXIT_INVALID_PARAMETER, "AWS_REGION does not match the function's region")
        if scenario == "unqualified-only" and match.group(5):
            fail(EXIT_INVALID_PARAMETER, "invalid lambda target %r: give a function name or its ARN" % target)
        if not os.environ.get("AWS_ACCESS_KEY_ID") and not os.path.exists(
                os.path.join(os.environ.get("HOME", "/nonexistent"), ".aws")):
            fail(EXIT_OTHER_ARTIFACT_FAILED, "artifact failed: lambda:GetFunction: no AWS credentials")
        base = aws.endpoint()
        if base:
            try:
                function, files = aws.get_function(base, match.group(4), match.group(5))
            except Exception as e:  # noqa: BLE001 - any failure to read the function is an artifact failure
                fail(EXIT_OTHER_ARTIFACT_FAILED, "artifact failed: lambda:GetFunction: %s" % type(e).__name__)
            log("info", "function read", endpoint=base, codeSha256=function.get("Configuration", {}).get("CodeSha256"),
                files=files)
    elif command == "image":
        if not IMAGE_REF.match(target):
            fail(EXIT_INVALID_PARAMETER, "invalid image reference %r" % target)
        if ECR.match(target) and not (
                (os.environ.get("QSCANNER_REGISTRY_USERNAME") or flags.get("--registry-username"))
                and (os.environ.get("QSCANNER_REGISTRY_PASSWORD") or flags.get("--registry-password"))):
            fail(EXIT_IMAGE_ARTIFACT_FAILED, "artifact failed: image: %s: no basic auth credentials" % target.split("/")[0])
        base = registry.endpoint()
        if base and ECR.match(target):
            try:
                digest, layers, files = registry.pull(
                    base, target, os.environ.get("QSCANNER_REGISTRY_USERNAME") or flags.get("--registry-username"),
                    os.environ.get("QSCANNER_REGISTRY_PASSWORD") or flags.get("--registry-password"),
                    flags.get("--platform"))
            except registry.PullRefused as e:
                fail(EXIT_IMAGE_ARTIFACT_FAILED, "artifact failed: image: %s: %s" % (target.split("/")[0], e))
            except Exception as e:  # noqa: BLE001 - any other failure to pull is an image artifact failure too
                fail(EXIT_IMAGE_ARTIFACT_FAILED, "artifact failed: image: %s: %s" % (target.split("/")[0],
                                                                                       type(e).__name__))
            log("info", "image pulled", endpoint=base, digest=digest, layers=layers, files=files)
    elif not os.path.isdir(target):
        fail(EXIT_INVALID_PARAMETER, "rootfs target %r is not a directory" % target)


def main():
    config = scenarios.config_file()
    flags, positional = parse(sys.argv[1:], set(config.get("refuseFlags", [])))
    if flags.get("--version") == "true" and not positional:
        print("qscanner version " + VERSION)
        sys.exit(0)
    command, target = validate(flags, positional)
    if not os.environ.get("HOME") and not os.environ.get("XDG_CONFIG_HOME"):
        fail(EXIT_LOGGER_INIT_FAILED, "failed to initialise logger: neither $XDG_CONFIG_HOME nor $HOME are defined")
    mode = flags.get("--mode", "get-report")
    secret = backend.credentials(flags) if mode != "inventory-only" else None
    name, scenario = scenarios.scenario_for(command, target, config)
    check_target(command, target, flags, scenario)

    exit_code, writes_result, writes_report, kind = scenarios.SCENARIOS[scenario]
    output_dir = flags.get("--output-dir") or os.path.join(os.environ.get("HOME", "."), "qualys", "qscanner", "data")
    cache_dir = flags.get("--cache-dir") or os.path.join(os.environ.get("HOME", "."), ".cache", "qualys", "qscanner")
    os.makedirs(output_dir, exist_ok=True)
    os.makedirs(cache_dir, exist_ok=True)
    log("info", "starting scan", command=command, target=target, scenario=scenario, version=VERSION)

    if scenario == "hang":
        scenarios.hang()
    if scenario == "change-code":
        endpoint = config.get("endpoint")
        if command != "lambda" or not endpoint:
            fail(1, "the change-code scenario needs the lambda command and an endpoint in scenarios.json")
        log("info", "deployed new code during the scan", codeSha256=aws.update_function_code(endpoint, name))
    if scenario == "daemon":
        scenarios.daemonise()
    if scenario.startswith("leak-"):
        scenarios.leak(scenario, secret or "")

    java_db = javadb.prepare(flags, cache_dir, config)
    if java_db:
        log("info", "java-db", source=java_db)
    report_id = hashlib.sha256(target.encode()).hexdigest()[:12]
    separator = "_" if scenario == "underscore-names" else "-"
    if writes_result:
        outputs.write_scan_result(os.path.join(output_dir, report_id + separator + "ScanResult.json"), flags, target,
                                  name, kind != "none", leak=scenario == "leak-token")
        outputs.write_sboms(output_dir, report_id, separator, flags.get("--format", "json").split(","), mode, target,
                            name, "underscore" if scenario == "underscore-names" else kind)
    if mode in ("get-report", "evaluate-policy"):
        if scenario == "late-report":
            if backend.poll_report(flags, float(config.get("reportReadyAfterSeconds", 3600)),
                                   float(config.get("clockScale", 1.0))):
                exit_code, writes_report = 0, True
        if writes_report:
            for report_format in flags.get("--report-format", "sarif").split(","):
                if report_format in ("json", "sarif"):
                    reports.write_report(output_dir, report_id, report_format, kind, target, separator)
    elif exit_code in (40, 42, 43):
        exit_code = 0  # no backend, no report, no policy: inventory-only ends with the inventory

    if scenario in ("leak-corpus", "leak-corpus-error"):
        import leak_corpus  # local/qscanner/leak_corpus.py, next to the entry script
        leak_corpus.leak(output_dir)

    log("info" if exit_code in (0, 42, 43) else "error", MESSAGES.get(exit_code, "failed"), exitCode=exit_code)
    sys.exit(exit_code)
