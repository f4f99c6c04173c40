"""README "Java Index Database (java-db)", "Offline Scan", "Air gapped environment": with a Java-capable scan type,
qscanner downloads Trivy's java-db (from ghcr.io, or the repositories QSCANNER_ENABLED_JAVADB_REPOS names) into
`<cache dir>/java-db`, again after --java-db-update-interval (5 days); if the download fails it falls back to
offline-scan. --offline-scan=true skips it; --skip-java-db-update=true uses the copy already in the cache.

The download is modelled: a delay (scenarios.json "javaDbDownloadSeconds", default 0.2) and the files Trivy's
java-db holds (`trivy-java.db`, `metadata.json` with `DownloadedAt` and `NextUpdate`). scenarios.json
"javaDbReachable": false makes every download fail (a VPC without internet)."""
import datetime
import json
import os
import time

from .cli import log, seconds

DEFAULT_UPDATE_INTERVAL = "120h"
REPOSITORIES = {"ghcr": "ghcr.io/aquasecurity/trivy-java-db", "aws": "public.ecr.aws/aquasecurity/trivy-java-db",
                "docker": "docker.io/aquasec/trivy-java-db"}


def _stamp(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _downloaded_at(meta_path):
    try:
        with open(meta_path, encoding="utf-8") as f:
            text = json.load(f)["DownloadedAt"]
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prepare(flags, cache_dir, config):
    """How this scan gets java-db: "offline" (not used), "cached" (the copy in the cache) or "downloaded"; None when
    no scan type reads JAR files."""
    if not {"pkg", "sca"} & set(flags.get("--scan-types", "pkg").split(",")):
        return None
    if flags.get("--offline-scan") == "true":
        return "offline"
    db_dir = os.path.join(cache_dir, "java-db")
    meta = os.path.join(db_dir, "metadata.json")
    downloaded = _downloaded_at(meta)
    if flags.get("--skip-java-db-update") == "true":
        if downloaded is not None and os.path.exists(os.path.join(db_dir, "trivy-java.db")):
            return "cached"
        log("warn", "java-db is not in the cache directory and --skip-java-db-update is set: falling back to offline-scan")
        return "offline"
    interval = seconds(flags.get("--java-db-update-interval", DEFAULT_UPDATE_INTERVAL))
    if downloaded is not None and time.time() - downloaded < interval:
        return "cached"
    repos = [r.strip() for r in os.environ.get("QSCANNER_ENABLED_JAVADB_REPOS", "ghcr").split(",") if r.strip()]
    log("info", "Downloading java-db", repositories=[REPOSITORIES.get(r, r) for r in repos])
    if not config.get("javaDbReachable", True):
        log("warn", "Failed to download java-db: falling back to offline-scan")
        return "offline"
    time.sleep(float(config.get("javaDbDownloadSeconds", 0.2)))
    os.makedirs(db_dir, exist_ok=True)
    with open(os.path.join(db_dir, "trivy-java.db"), "wb") as f:
        f.write(b"SQLite format 3\0stand-in java index\n")
    t = time.time()
    with open(meta, "w", encoding="utf-8") as f:
        json.dump({"Version": 1, "NextUpdate": _stamp(t + interval), "UpdatedAt": _stamp(t), "DownloadedAt": _stamp(t)}, f)
    return "downloaded"
