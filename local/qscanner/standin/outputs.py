"""README "Output Formats": the inventory (`<id>-ScanResult.json`, always) and the SBOMs. SPDX JSON (v2.3) is written
in every mode but inventory-only, asked for or not, since it is what those modes upload; CycloneDX (v1.6) with
`--format cyclonedx`. File names cannot be chosen (FAQ Q4, which spells them with `_`; the logs with `-`)."""
import hashlib
import json
import os
import sys
import time

from .cli import SECRET_FLAGS, VERSION, now
from .findings import CHANGED_FINDINGS, FINDINGS

SECRETS = [{"Target": "/var/task/config/settings.py", "Secrets": [
    {"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL",
     "Title": "AWS Access Key ID", "StartLine": 12, "EndLine": 12},
    {"RuleID": "generic-api-key", "Category": "Generic", "Severity": "HIGH",
     "Title": "Generic API Key", "StartLine": 31, "EndLine": 31}]}]


def write_scan_result(path, flags, target, name, with_secrets, leak):
    scan_types = flags.get("--scan-types", "pkg").split(",")
    options = {k: ("<hidden>" if k in SECRET_FLAGS else v) for k, v in flags.items()}
    if leak:
        # A careless scanner that dumps its own credentials into its output: the caller must not pass it on.
        options["AccessTokenSeen"] = os.environ.get("QUALYS_ACCESS_TOKEN") or os.environ.get("QUALYS_CLIENT_SECRET")
    document = {
        "SchemaVersion": 2,
        "QScannerVersion": VERSION,
        "ScansPerformed": [{"ScanType": t, "ScanDuration": "1.2s", "Status": "success"} for t in scan_types],
        "Metadata": {
            "ScanStartTime": now(),
            "ScanEndTime": now(),
            "Options": options,
            # Names only (never values), so tests can check what the caller put in the environment. LC_CTYPE is
            # left out: Python sets it itself when the locale is C (PEP 538).
            "EnvironmentNames": sorted(k for k in os.environ if k != "LC_CTYPE"),
            "Platform": flags.get("--platform"),
            "Arguments": [a if not any(a.startswith(s) for s in SECRET_FLAGS) else "<hidden>" for a in sys.argv[1:]],
            "Target": {"Type": "lambda" if target.startswith("arn:") else "image", "Name": name,
                       "Reference": target, "Region": os.environ.get("AWS_REGION")},
            # Where the scan is in the Qualys platform: QScanner names the artifact it built from the function
            # lambdascan:<epoch> (what nelssec/qualys-lambda reads to tag functions) and reports its image id.
            "TargetMetadata": {"ImageMetadata": {
                "RepoTags": ["lambdascan:%d" % int(time.time())],
                "ImageID": "sha256:" + hashlib.sha256(("image:" + target).encode()).hexdigest(),
                "RepoDigests": ["lambdascan@sha256:" + hashlib.sha256(("digest:" + target).encode()).hexdigest()],
            }},
        },
        "SecretResults": SECRETS if with_secrets and "secret" in scan_types else [],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)


def packages(kind):
    """The function's packages: the vulnerable ones the report names and a few clean ones, as an SBOM lists them."""
    found = list(CHANGED_FINDINGS if kind == "changed" else FINDINGS) if kind in ("some", "changed", "underscore") else []
    clean = [("boto3", "1.34.0", "/var/task/boto3-1.34.0.dist-info", "Python"),
             ("com.amazonaws:aws-lambda-java-core", "1.2.3", "/var/task/lib/aws-lambda-java-core-1.2.3.jar", "Java")]
    seen, out = set(), []
    for name, version, path, category in [(f[4], f[6], f[5], f[8]) for f in found] + clean:
        if (name, version) not in seen:
            seen.add((name, version))
            out.append((name, version, path, category))
    return out


def purl(name, version, category):
    if category == "Java" and ":" in name:
        group, artifact = name.split(":", 1)
        return "pkg:maven/%s/%s@%s" % (group, artifact, version)
    if category == "JavaScript":
        return "pkg:npm/%s@%s" % (name, version)
    return "pkg:pypi/%s@%s" % (name.lower(), version)


def write_sboms(output_dir, report_id, separator, formats, mode, target, name, kind):
    pkgs = packages(kind)
    digest = hashlib.sha256(target.encode()).hexdigest()
    if "cyclonedx" in formats:
        bom = {
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "serialNumber": "urn:uuid:%s-%s-%s-%s-%s" % (digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:32]),
            "version": 1,
            "metadata": {"timestamp": now(),
                         "tools": {"components": [{"type": "application", "author": "Qualys", "name": "qscanner",
                                                   "version": VERSION}]},
                         "component": {"type": "application", "bom-ref": target, "name": name}},
            "components": [{"type": "library", "bom-ref": purl(n, v, c), "name": n, "version": v, "purl": purl(n, v, c),
                            "properties": [{"name": "qscanner:path", "value": p}, {"name": "qscanner:category", "value": c}]}
                           for n, v, p, c in pkgs],
            "dependencies": [{"ref": target, "dependsOn": [purl(n, v, c) for n, v, p, c in pkgs]}],
        }
        with open(os.path.join(output_dir, report_id + separator + "ScanResult.cyclonedx.json"), "w", encoding="utf-8") as f:
            json.dump(bom, f)
    if "spdx" in formats or mode != "inventory-only":
        doc = {
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": name,
            "documentNamespace": "https://qualys.com/qscanner/%s" % digest,
            "creationInfo": {"created": now(), "creators": ["Tool: qscanner-" + VERSION]},
            "packages": [{"name": n, "SPDXID": "SPDXRef-Package-%d" % i, "versionInfo": v,
                          "downloadLocation": "NOASSERTION", "filesAnalyzed": False, "sourceInfo": p,
                          "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                            "referenceLocator": purl(n, v, c)}]}
                         for i, (n, v, p, c) in enumerate(pkgs)],
            "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                               "relatedSpdxElement": "SPDXRef-Package-%d" % i} for i in range(len(pkgs))],
        }
        with open(os.path.join(output_dir, report_id + separator + "ScanResult.spdx.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
