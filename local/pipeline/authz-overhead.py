"""make authz-overhead: what IAM enforcement cost the last build's tests (after make test, or any module's verify).

  python3 local/pipeline/authz-overhead.py [ROOT]

Every enforced run (a LocalPipeline, an EnforcedAws test class, make local) appends one line to its module's
target/authz-overhead.tsv when it ends (Authorization.close: "<checks>\t<seconds evaluating>\t<seconds the run
lasted>\t<log>"). The suite's time is the sum of the test classes' times in every module's target/surefire-reports
and target/failsafe-reports. The seconds are summed over threads: requests evaluated at the same time count each, so
the share is an upper bound of what enforcement adds to the wall time.
"""

import glob
import os
import sys
import xml.etree.ElementTree as ElementTree

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))


def runs():
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "target", "authz-overhead.tsv"), recursive=True)):
        module = os.path.relpath(os.path.dirname(os.path.dirname(path)), ROOT)
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    yield module, int(parts[0]), float(parts[1]), float(parts[2])


def suite_seconds():
    total = 0.0
    for kind in ("surefire-reports", "failsafe-reports"):
        for path in glob.glob(os.path.join(ROOT, "**", "target", kind, "TEST-*.xml"), recursive=True):
            try:
                total += float(ElementTree.parse(path).getroot().get("time", "0").replace(",", ""))
            except (ElementTree.ParseError, ValueError):
                pass
    return total


def main():
    by_module = {}
    for module, checks, seconds, _ in runs():
        entry = by_module.setdefault(module, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += checks
        entry[2] += seconds
    if not by_module:
        sys.exit("no target/authz-overhead.tsv under %s: run the tests first (make test)" % ROOT)
    print("%-28s %5s %9s %10s" % ("module", "runs", "checks", "seconds"))
    for module, (count, checks, seconds) in sorted(by_module.items()):
        print("%-28s %5d %9d %10.1f" % (module, count, checks, seconds))
    checks = sum(e[1] for e in by_module.values())
    seconds = sum(e[2] for e in by_module.values())
    suite = suite_seconds()
    print("\n%d checks evaluated in %d runs, %.1f s in authorization (%.1f ms a check)"
          % (checks, sum(e[0] for e in by_module.values()), seconds, 1000 * seconds / max(checks, 1)))
    if suite > 0:
        print("tests' own time %.1f s: authorization %.1f %% of it (upper bound, budget 10 %%)"
              % (suite, 100 * seconds / suite))


if __name__ == "__main__":
    main()
