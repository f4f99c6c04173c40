"""README "Report Formats": the vulnerability report of get-report / evaluate-policy, `<id>-Report.sarif.json`
(SARIF 2.1.0, the default) or `<id>-Report.json`.

The SARIF is written in the layout qualys-jenkins' SarifParser reads from QScanner 4.8.0-2: severity, `cve-ids` and
`qds` on the rule's properties, `QID` and `vulnerableSoftware[]` on the result's, `imageID`/`repoTags`/`layerInfo`
on the run's. Scenario `flat-sarif` writes the flat layout qualys-ado reads (everything on the result)."""
import hashlib
import json
import os

from .cli import VERSION, now
from .findings import MORE_PACKAGES, QDS, FINDINGS, for_kind, huge_findings


def finding_json(qid, cves, severity, title, package, path, installed, fixed, category):
    software = [{"Name": package, "Path": path, "InstalledVersion": installed, "FixedVersion": fixed, "Layer": None}]
    software += [{"Name": n, "Path": p, "InstalledVersion": i, "FixedVersion": x, "Layer": None}
                 for n, p, i, x in MORE_PACKAGES.get(qid, [])]
    return {
        "QID": qid,
        "CVEIDs": cves,
        "Title": title,
        "Severity": severity,
        "CustomerSeverity": severity,
        "QDS": QDS.get(qid),
        "Category": category,
        "CVSSv2": {"BaseScore": round(1.5 * severity, 1)},
        "CVSSv3": {"BaseScore": min(10.0, round(2.0 * severity - 0.2, 1)),
                   "Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
        "FirstFound": "2026-01-05T10:00:00Z",
        "LastFound": now(),
        "Published": "2023-05-26T00:00:00Z",
        "ThreatIntel": {"ActiveAttacks": severity == 5, "ExploitPublic": severity >= 4, "PatchAvailable": bool(fixed)},
        "Software": software,
    }


def sarif_level(severity):
    return "error" if severity >= 4 else "warning" if severity == 3 else "note"


def layer_sha(path):
    return "sha256:" + hashlib.sha256(("layer:" + path.split("/")[2]).encode()).hexdigest()


def jenkins_rule(f):
    qid, cves, severity, title = f[0], f[1], f[2], f[3]
    return {"id": str(qid), "name": "QID-%d" % qid, "shortDescription": {"text": title},
            "defaultConfiguration": {"level": sarif_level(severity)},
            "properties": {"severity": severity, "customerSeverity": severity, "cve-ids": cves,
                           "qds": str(QDS.get(qid, 50))}}


def jenkins_result(f):
    qid, cves, severity, title, package, path, installed, fixed, category = f
    software = [{"name": package, "installedVersion": installed, "fixedVersion": fixed, "layerSHA": layer_sha(path)}]
    software += [{"name": n, "installedVersion": i, "fixedVersion": x, "layerSHA": layer_sha(p)}
                 for n, p, i, x in MORE_PACKAGES.get(qid, [])]
    return {"ruleId": str(qid), "level": sarif_level(severity),
            "message": {"text": "%s: %s %s (fixed in %s)" % (title, package, installed, fixed or "n/a")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}],
            "properties": {"QID": qid, "vulnerableSoftware": software}}


def flat_result(f, kind):
    """A result as qualys-codebuild and qualys-ado read it: ruleId, level, message.text and properties qid, cves,
    severity 1..5, cvssScore, packageName, installedVersion, fixedVersion. kind "rule-severity": the severity only on
    the rule; "unmapped": no severity anywhere and no level."""
    qid, cves, severity, title, package, path, installed, fixed, category = f
    properties = {"qid": qid, "cves": cves, "severity": severity, "cvssScore": min(10.0, round(2.0 * severity - 0.2, 1)),
                  "packageName": package, "installedVersion": installed, "fixedVersion": fixed}
    result = {
        "ruleId": "QID-%d" % qid,
        "level": sarif_level(severity),
        "message": {"text": "%s: %s %s (fixed in %s)" % (title, package, installed, fixed or "n/a")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}],
        "properties": properties,
    }
    if kind in ("rule-severity", "unmapped"):
        del properties["severity"]
        del result["level"]
    if kind == "unmapped":
        # A shape no integration reads: the severity is a word under another name, and there is no level.
        properties["risk"] = "HIGH"
    return result


def flat_rule(f, kind):
    qid, cves, severity, title, package, path, installed, fixed, category = f
    rule = {"id": "QID-%d" % qid, "name": title, "shortDescription": {"text": title},
            "defaultConfiguration": {"level": sarif_level(severity)}, "properties": {"category": category}}
    if kind == "unmapped":
        del rule["defaultConfiguration"]  # no level to fall back on either: no severity anywhere
    else:
        rule["properties"]["severity"] = severity
    return rule


def write_sarif(path, kind, target):
    findings = for_kind(kind)
    jenkins = kind in ("some", "underscore", "changed", "risky", "quiet")
    rules = [jenkins_rule(f) if jenkins else flat_rule(f, kind) for f in findings]
    run_properties = {"imageID": "sha256:" + hashlib.sha256(("image:" + target).encode()).hexdigest(),
                      "repoTags": ["lambdascan:0"],
                      "layerInfo": [{"LayerContentHash": layer_sha("/var/task/"), "Command": "COPY function code"}]}
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [')
        f.write('{"properties": %s, "tool": {"driver": {"name": "qscanner", "version": "%s", "rules": %s}}, '
                '"results": [' % (json.dumps(run_properties), VERSION, json.dumps(rules)))
        # Streamed out, one result at a time, so even the huge report never sits in memory here.
        stream = huge_findings(40000) if kind == "huge" else iter(findings)
        for i, finding in enumerate(stream):
            result = jenkins_result(finding) if jenkins else flat_result(finding, kind)
            f.write((",\n" if i else "\n") + json.dumps(result))
        f.write("\n]}]}\n")


def write_json(path, kind, target):
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"SchemaVersion": 1, "QScannerVersion": "%s", "ReportType": "vulnerability", "Target": %s, '
                '"Vulnerabilities": [' % (VERSION, json.dumps({"Reference": target})))
        stream = huge_findings(40000) if kind == "huge" else iter(for_kind(kind))
        for i, finding in enumerate(stream):
            f.write((",\n" if i else "\n") + json.dumps(finding_json(*finding)))
        f.write("\n]}\n")


def write_report(output_dir, report_id, report_format, kind, target, separator="-"):
    if kind == "bad":
        # Cut off mid-document, as a scanner killed while writing would leave it.
        suffix = "-Report.sarif.json" if report_format == "sarif" else "-Report.json"
        with open(os.path.join(output_dir, report_id + suffix), "w", encoding="utf-8") as f:
            f.write('{"SchemaVersion": 1, "Vulnerabilities": [' + json.dumps(finding_json(*FINDINGS[2])) + ', {"QID": 3')
        return
    if report_format == "sarif":
        write_sarif(os.path.join(output_dir, report_id + separator + "Report.sarif.json"), kind, target)
    else:
        write_json(os.path.join(output_dir, report_id + separator + "Report.json"), kind, target)
