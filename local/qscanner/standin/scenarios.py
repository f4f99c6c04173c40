"""Not a README section: what a test makes the stand-in do. scenarios.json next to the entry script:

  {"default": "clean", "functions": {"<function name>": "<scenario>"}, "endpoint": "...", "refuseFlags": ["--x"],
   "clockScale": 0.01, "javaDbDownloadSeconds": 0.2, "javaDbReachable": true}

matched on the function name of a `lambda <arn>` target (for `image <ref>`, the repository's last path segment; for
`rootfs <dir>`, the folder's name). A missing file means "clean". "endpoint": the AWS endpoint change-code calls;
"refuseFlags": flags this build does not know (exit 2, as an older binary would); "clockScale": how long one
modelled second of report polling lasts; java-db keys: see javadb.py."""
import json
import os
import re
import subprocess
import time

from .cli import LAMBDA_ARN, fail, log

SCENARIOS = {
    # name: (exit code, writes ScanResult, writes report, findings)
    "clean": (0, True, True, "none"),
    "findings": (0, True, True, "some"),
    "deny": (42, True, True, "some"),
    "audit": (43, True, True, "some"),
    "partial": (40, True, False, "some"),
    "error": (1, False, False, "none"),
    "config-error": (2, False, False, "none"),
    "artifact-error": (10, False, False, "none"),
    "retryable": (33, True, False, "none"),
    "hang": (None, False, False, "none"),
    "leak-token": (0, True, True, "some"),
    "leak-token-error": (1, False, False, "none"),
    "leak-encoded-error": (1, False, False, "none"),
    # Every file and stream it writes holds its credentials in every encoding of leak_corpus.py (issue 22).
    "leak-corpus": (0, True, True, "some"),
    "leak-corpus-error": (1, True, True, "some"),
    "huge-report": (0, True, True, "huge"),
    # Beyond the basic set, for the caller's report handling:
    "no-report": (0, True, False, "some"),
    "bad-report": (0, True, True, "bad"),
    "underscore-names": (0, True, True, "some"),
    # Leaves a daemon behind (double fork, setsid) and exits 0: the caller must stop it after a normal exit.
    "daemon": (0, True, True, "none"),
    # SARIF shapes: the flat layout qualys-ado reads; the severity only on the rules (read through the rule), or
    # nowhere (not a clean scan).
    "flat-sarif": (0, True, True, "flat"),
    "rule-severity": (0, True, True, "rule-severity"),
    # Deploys new code to the target (UpdateFunctionCode at scenarios.json's "endpoint", with the credentials and
    # region it was given) while it "scans", then reports findings as if nothing happened.
    "change-code": (0, True, True, "some"),
    "unmapped-report": (0, True, True, "unmapped"),
    "deny-unmapped": (42, True, True, "unmapped"),
    # A later deploy of a "findings" function: Log4Shell fixed, a new critical in jackson-databind.
    "changed": (0, True, True, "changed"),
    # Severity and risk disagree (findings.py): "risky" has a severity 3 exploited in the wild, "quiet" does not.
    "risky": (0, True, True, "risky"),
    "quiet": (0, True, True, "quiet"),
    # The backend never has the report in time: polls as the retry flags say, then exit 40 with the inventory.
    "late-report": (40, True, False, "some"),
    # A build that takes `lambda` with a function name or an unqualified ARN only (README "Commands"): exit 2 for
    # a qualified ARN, else "findings".
    "unqualified-only": (0, True, True, "some"),
}


def config_file():
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "scenarios.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def scenario_for(command, target, config):
    if command == "lambda":
        match = LAMBDA_ARN.match(target)
        name = match.group(4) if match else target
    elif command == "rootfs":
        name = os.path.basename(os.path.normpath(target))
    else:
        name = re.split(r"[@:]", target.rsplit("/", 1)[-1])[0]
    if not config:
        return name, "clean"
    scenario = config.get("functions", {}).get(name, config.get("default", "clean"))
    if scenario not in SCENARIOS:
        fail(1, "scenarios.json names an unknown scenario %r" % scenario)
    return name, scenario


def pid_file(name):
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), name)


def hang():
    """Ignores --scan-timeout and leaves a child behind: the caller must kill the whole tree."""
    child = subprocess.Popen(["sleep", "3600"])
    try:
        with open(pid_file("hang.pids"), "w", encoding="utf-8") as f:
            f.write("%d %d\n" % (os.getpid(), child.pid))
    except OSError:
        pass  # a read-only install (e.g. /opt/bin): the pids are only for tests
    log("info", "scanning (this will take a while)")
    while True:
        time.sleep(3600)


def daemonise():
    """Forks a grandchild in its own session that sleeps for an hour, as a careless helper process would; returns
    once its pid is written (to daemon.pids, for tests)."""
    read_end, write_end = os.pipe()
    if os.fork() == 0:
        os.close(read_end)
        os.setsid()
        if os.fork() == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            try:
                with open(pid_file("daemon.pids"), "w", encoding="utf-8") as f:
                    f.write("%d\n" % os.getpid())
            except OSError:
                pass  # a read-only install: the pid is only for tests
            os.write(write_end, b"x")
            os.close(write_end)
            time.sleep(3600)
            os._exit(0)
        os._exit(0)
    os.close(write_end)
    os.read(read_end, 1)
    os.close(read_end)
    os.wait()


def leak(scenario, secret):
    """The leak scenarios: a scanner that prints its credentials, in the forms an HTTP client or a logger writes
    them. None may survive the caller's redaction."""
    import base64
    import sys
    import urllib.parse
    if scenario in ("leak-token", "leak-token-error"):
        print("debug: using access token " + secret, flush=True)
        print("debug: Authorization: Bearer " + secret, file=sys.stderr, flush=True)
        if scenario == "leak-token-error":
            fail(1, "authentication failed for token %s" % secret)
    if scenario == "leak-encoded-error":
        aws_key = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
        print("debug: GET /auth?token=" + urllib.parse.quote(secret, safe=""), file=sys.stderr, flush=True)
        print("debug: wrapped token " + secret[:20], file=sys.stderr, flush=True)
        print("    " + secret[20:], file=sys.stderr, flush=True)
        print("debug: docker auth " + base64.b64encode(("AWS:" + aws_key).encode()).decode(), file=sys.stderr)
        print('debug: "key": "' + aws_key.replace("/", "\\/") + '"', file=sys.stderr)
        print("debug: url " + urllib.parse.quote(aws_key, safe=""), file=sys.stderr)
        print("debug: X-Amz-Security-Token: " + os.environ.get("AWS_SESSION_TOKEN", ""), file=sys.stderr, flush=True)
        fail(1, "authentication failed")
