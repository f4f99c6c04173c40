"""What the stand-in "finds": a fixed set of vulnerabilities a function's code plausibly holds (not a README
section: test data)."""

FINDINGS = [
    # qid, cves, severity, title, package, path, installed, fixed, category
    (379210, ["CVE-2023-32681"], 3, "Python requests Information Disclosure Vulnerability", "requests",
     "/var/task/requests-2.25.0.dist-info", "2.25.0", "2.31.0", "Python"),
    (378985, ["CVE-2022-42969"], 2, "Python py Regular Expression Denial of Service", "py",
     "/var/task/py-1.11.0.dist-info", "1.11.0", None, "Python"),
    (376657, ["CVE-2021-44228", "CVE-2021-45046"], 5, "Apache Log4j Remote Code Execution (Log4Shell)",
     "org.apache.logging.log4j:log4j-core", "/var/task/lib/log4j-core-2.14.1.jar", "2.14.1", "2.17.1", "Java"),
    (380141, ["CVE-2023-44487"], 4, "HTTP/2 Rapid Reset Denial of Service in netty", "io.netty:netty-codec-http2",
     "/var/task/lib/netty-codec-http2-4.1.96.Final.jar", "4.1.96.Final", "4.1.100.Final", "Java"),
    (378832, ["CVE-2022-25883"], 3, "semver Regular Expression Denial of Service", "semver",
     "/var/task/node_modules/semver/package.json", "7.5.1", "7.5.2", "JavaScript"),
    (150045, [], 1, "Outdated urllib3 Detected", "urllib3", "/var/task/urllib3-1.26.5.dist-info", "1.26.5",
     "1.26.18", "Python"),
]

# Log4Shell also hits log4j-api in the same jar folder: one QID, two vulnerable packages (README "Report Formats":
# a result lists every vulnerable software of its QID).
MORE_PACKAGES = {
    376657: [("org.apache.logging.log4j:log4j-api", "/var/task/lib/log4j-api-2.14.1.jar", "2.14.1", "2.17.1")],
}

# The Qualys Detection Score of each QID (1..100), as the SARIF rules carry it.
QDS = {379210: 55, 378985: 35, 376657: 100, 380141: 79, 378832: 45, 150045: 12, 380712: 72, 379500: 35, 380899: 95}

# What "risky" reports: where severity and risk disagree (issue 21). A severity-5 finding nobody exploits (QDS 35)
# and a severity-3 one exploited in the wild (QDS 95): by severity the first leads, by risk the second. "quiet"
# reports the first alone: severe, not risky.
SEVERE_BUT_QUIET = (379500, ["CVE-2022-1471"], 5, "SnakeYAML Constructor Deserialization", "org.yaml:snakeyaml",
                    "/var/task/lib/snakeyaml-1.33.jar", "1.33", "2.0", "Java")
EXPLOITED = (380899, ["CVE-2023-4863"], 3, "libwebp Heap Buffer Overflow in Pillow", "Pillow",
             "/var/task/Pillow-9.5.0.dist-info", "9.5.0", "10.0.1", "Python")

# What "changed" reports: FINDINGS without Log4Shell (fixed) and with one new critical.
CHANGED_FINDINGS = [f for f in FINDINGS if f[0] != 376657] + [
    (380712, ["CVE-2022-42003"], 4, "jackson-databind Deep Wrapper Array Nesting Denial of Service",
     "com.fasterxml.jackson.core:jackson-databind", "/var/task/lib/jackson-databind-2.13.3.jar", "2.13.3",
     "2.13.4.2", "Java"),
]


def huge_findings(count):
    for n in range(count):
        base = FINDINGS[n % len(FINDINGS)]
        yield (1000000 + n, ["CVE-2024-%05d" % (n % 100000)], 1 + n % 5,
               "Generated finding %d: %s" % (n, base[3]), "pkg-%d" % (n % 997),
               "/var/task/vendor/pkg-%d/%s" % (n % 997, "x" * 600), "1.%d.0" % (n % 50), "1.%d.1" % (n % 50),
               base[8])


def for_kind(kind):
    """The findings a report of this kind lists."""
    if kind in ("some", "underscore", "rule-severity", "unmapped", "flat"):
        return list(FINDINGS)
    if kind == "changed":
        return list(CHANGED_FINDINGS)
    if kind == "risky":
        return [SEVERE_BUT_QUIET, EXPLOITED]
    if kind == "quiet":
        return [SEVERE_BUT_QUIET]
    return []
