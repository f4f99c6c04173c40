"""README "Commands", `image`: QScanner downloads the image from its registry "similar to Crane tool" (the manifest,
then every layer) with the registry credentials of its environment (QSCANNER_REGISTRY_USERNAME / _PASSWORD, for ECR
user AWS and the password of ecr:GetAuthorizationToken). Where the environment names an ECR endpoint
(AWS_ENDPOINT_URL_ECR or AWS_ENDPOINT_URL, which Run QScanner passes on where it has one: never on AWS), the stand-in
maps the registry host <account>.dkr.ecr.<region>.amazonaws.com to that endpoint and pulls from it, the host in the
Host header. That mapping is the stand-in's and the tests' only (the real binary resolves the host); without such an
endpoint (the tests' default) it pulls nothing."""
import base64
import hashlib
import io
import json
import os
import tarfile
import urllib.error
import urllib.request

MANIFEST_TYPES = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
])


class PullRefused(Exception):
    """The registry refused or could not serve the image: the message names the status and the registry's code."""


def endpoint():
    return os.environ.get("AWS_ENDPOINT_URL_ECR") or os.environ.get("AWS_ENDPOINT_URL")


def pull(base, reference, username, password, platform=None):
    """Pulls the image: the manifest (by digest or tag; an index resolved for the platform), the config and every
    layer, each verified against its digest. Returns the manifest digest, the number of layers and of files in them
    (the image stays in memory only)."""
    host, _, name = reference.partition("/")
    repository, _, digest = name.partition("@")
    if not digest:
        repository, _, tag = repository.partition(":")
    ref = digest or tag or "latest"
    auth = "Basic " + base64.b64encode(("%s:%s" % (username, password)).encode()).decode()

    def get(path, accept=None):
        headers = {"Host": host, "Authorization": auth}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(base.rstrip("/") + path, headers=headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read() or b"{}").get("errors", [{}])[0]
            except ValueError:
                error = {}
            # The registry's own words (who was refused what, on which repository: no credential) for the operator.
            raise PullRefused("%d %s: %s" % (e.code, error.get("code", "UNKNOWN"),
                                             str(error.get("message", ""))[:300])) from None

    manifest_bytes = get("/v2/%s/manifests/%s" % (repository, ref), MANIFEST_TYPES)
    manifest_digest = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
    if digest and manifest_digest != digest:
        raise PullRefused("manifest digest mismatch")
    manifest = json.loads(manifest_bytes)
    if "manifests" in manifest:  # an index: the platform's image
        os_arch = (platform or "linux/amd64").split("/")
        chosen = [m for m in manifest["manifests"]
                  if [m.get("platform", {}).get("os"), m.get("platform", {}).get("architecture")] == os_arch]
        if not chosen:
            raise PullRefused("no image for platform %s" % "/".join(os_arch))
        manifest_bytes = get("/v2/%s/manifests/%s" % (repository, chosen[0]["digest"]), MANIFEST_TYPES)
        if "sha256:" + hashlib.sha256(manifest_bytes).hexdigest() != chosen[0]["digest"]:
            raise PullRefused("manifest digest mismatch")
        manifest = json.loads(manifest_bytes)
    files = 0
    for blob in [manifest["config"]] + manifest.get("layers", []):
        content = get("/v2/%s/blobs/%s" % (repository, blob["digest"]))
        if "sha256:" + hashlib.sha256(content).hexdigest() != blob["digest"]:
            raise PullRefused("blob digest mismatch: %s" % blob["digest"])
        if blob is not manifest["config"]:
            with tarfile.open(fileobj=io.BytesIO(content), mode="r:*") as layer:
                files += sum(1 for member in layer if member.isfile())
    return manifest_digest, len(manifest.get("layers", [])), files
