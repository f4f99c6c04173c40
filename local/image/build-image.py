#!/usr/bin/env python3
"""Run QScanner's container image, built without a daemon: an OCI image layout and its unpacked root filesystem.

No base image can be pulled on the machines this project is tested on, so the base is made here, as the Lambda java25
base image is laid out: a Debian minbase root filesystem (mmdebstrap, with python3 for the stand-in qscanner),
the installed JDK 25 at /var/lang, the AWS Lambda Runtime Interface Client jars at /var/runtime/lib, and an
entrypoint /lambda-entrypoint.sh equivalent to the base image's. On top, as functions/run-qscanner/Dockerfile puts
them: the function package at /var/task and the qscanner binary at /opt/bin/qscanner.

Everything is cached under OUT keyed by its inputs (OUT/<key>/): a second build with the same inputs only prints the
path; a new build removes the earlier images (the base stays). Layers are plain tars (application/vnd.oci.image.layer.v1.tar): nothing compresses 300 MB of JDK for a test.
With --aot, a fourth layer holds a Java 25 AOT cache made in the image itself: a training run of the image's own
entrypoint, in its own root filesystem with its own JDK, constructs the handler (the function's init); the
bootstrap then starts the JVM with the cache and with the function's classes on the class path, which the cache
needs (docs/performance.md, "Run QScanner as an image, with an AOT cache").
Usage: build-image.py OUT --jdk DIR --function-zip ZIP --qscanner FILE --jar JAR [--jar JAR ...]
                      [--extra FILE=/path/in/image ...] [--aot]
Prints the image folder: OUT/<key> (OUT/<key>-aot with --aot), holding oci/ (the OCI image layout) and rootfs/ (its
layers unpacked).
Needs root (mmdebstrap and the unpacked devices of the base).
"""
import argparse
import datetime
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import zipfile

SUITE = "bookworm"
# --format=tar: mmdebstrap otherwise takes the format from the target name's suffix (a directory for ".partial").
MMDEBSTRAP = ["mmdebstrap", "--variant=minbase", "--include=python3", "--format=tar", "--quiet", SUITE]
HANDLER = "com.qualys.lambdascanner.scan.RunQScannerHandler::handleRequest"
RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
ENTRYPOINT_PATH = "/lambda-entrypoint.sh"
ENV = ["PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin", "LANG=en_US.UTF-8", "TZ=:/etc/localtime",
       "LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime"]

# The base image's entrypoint: runs the bootstrap with the handler (CMD) as _HANDLER; under Lambda the Runtime API
# address is given (AWS_LAMBDA_RUNTIME_API), without it the base image would start its runtime interface emulator,
# which this image does not have.
ENTRYPOINT = """#!/bin/sh
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then
  echo "AWS_LAMBDA_RUNTIME_API is not set: run this image under Lambda or the project's emulator" >&2
  exit 142
fi
export _HANDLER="${1:-$_HANDLER}"
exec /var/runtime/bootstrap
"""

# Lambda's java25 JVM command line: heap from the function's memory, serial GC, C1 only (JAVA_TOOL_OPTIONS from the
# function's environment adds to it, as in Lambda), the RIC as the main class. The image owns this line: with an AOT
# cache (--aot) the JVM maps it, and the class path names the function's classes (a jar of /var/task's own classes,
# then its lib/ jars, sorted) so that the application class loader, whose classes alone the cache holds, loads them
# before the RIC's loader of /var/task would. Without the cache file (as in its training run) the JVM starts without.
BOOTSTRAP = """#!/bin/sh
heap=$(( ${AWS_LAMBDA_FUNCTION_MEMORY_SIZE:-512} * 85 / 100 ))
aot=
[ -f %(cache)s ] && aot=-XX:AOTCache=%(cache)s
exec /var/lang/bin/java -XX:MaxHeapSize=${heap}m -XX:+UseSerialGC -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \\
  -XX:+ErrorFileToStderr -Djava.net.preferIPv4Stack=true --add-opens=java.base/java.io=ALL-UNNAMED \\
  -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac --enable-native-access=ALL-UNNAMED $aot \\
  -classpath '%(classpath)s' %(main)s "$_HANDLER"
"""
AOT_DIR = "var/runtime/aot"
AOT_CACHE = "/" + AOT_DIR + "/function.aot"
TASK_JAR = "/" + AOT_DIR + "/task.jar"
# The training run's environment beyond the image's: what the handler's construction requires (it makes no request),
# and a Runtime API address where nothing listens (a socket bound, not listening), so that the RIC, after the init,
# fails its first /next and the JVM exits, writing the cache.
TRAINING_ENV = {"AWS_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "aot-training",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "RESULTS_BUCKET": "aot-training",
                "QUALYS_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:aot-training"}


def bootstrap(args):
    if not args.aot:
        return BOOTSTRAP % {"cache": AOT_CACHE, "classpath": "/var/runtime/lib/*", "main": RUNTIME_MAIN}
    with zipfile.ZipFile(args.function_zip) as z:
        libs = sorted(e.filename for e in z.infolist() if e.filename.startswith("lib/") and e.filename.endswith(".jar"))
    jars = ["/var/runtime/lib/" + os.path.basename(j) for j in args.jar] + [TASK_JAR] + ["/var/task/" + j for j in libs]
    return BOOTSTRAP % {"cache": AOT_CACHE, "classpath": ":".join(jars), "main": RUNTIME_MAIN}


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def jdk_identity(jdk):
    """The JDK by its release file (vendor, version, build): hashing 300 MB per build would cost more than it saves."""
    with open(os.path.join(jdk, "release"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def scanner_files(qscanner):
    """The scanner and what it runs with: the stand-in's entry script imports its package standin/ and leak_corpus.py
    from its own folder (local/qscanner), so they go beside it, to /opt/bin."""
    folder = os.path.dirname(os.path.abspath(qscanner))
    files = [(qscanner, "qscanner", 0o755)]
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                files.append((path, os.path.relpath(path, folder), 0o644))
    return files


def cache_key(args):
    h = hashlib.sha256()
    h.update(file_digest(__file__).encode())
    h.update(" ".join(MMDEBSTRAP).encode())
    h.update(jdk_identity(args.jdk).encode())
    for path in [args.function_zip] + [f for f, _, _ in scanner_files(args.qscanner)] + args.jar:
        h.update(file_digest(path).encode())
    for extra in args.extra:
        h.update(extra.encode() + file_digest(extra.partition("=")[0]).encode())
    return h.hexdigest()[:16] + ("-aot" if args.aot else "")


def base_rootfs(out):
    """The Debian base as a tar, made once (minutes) and kept: its key is the mmdebstrap command line."""
    name = "base-" + hashlib.sha256(" ".join(MMDEBSTRAP).encode()).hexdigest()[:12] + ".tar"
    path = os.path.join(out, name)
    if not os.path.isfile(path):
        if shutil.which("mmdebstrap") is None:
            raise SystemExit("mmdebstrap is missing: apt-get install mmdebstrap (make tools does, as root)")
        # Ends in .tar: mmdebstrap picks its output format from the name, and would write a directory otherwise.
        partial = path[:-len(".tar")] + ".partial.tar"
        subprocess.run(MMDEBSTRAP + [partial], check=True)
        os.replace(partial, path)
    return path


class Layer:
    """One image layer written as a tar, entries added in order; its digest is the tar's sha256 (uncompressed)."""

    def __init__(self, path):
        self.path = path
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)

    def directory(self, name):
        info = tarfile.TarInfo(name)
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        self.tar.addfile(info)

    def data(self, name, content, mode=0o644):
        info = tarfile.TarInfo(name)
        info.size = len(content)
        info.mode = mode
        self.tar.addfile(info, io.BytesIO(content))

    def tree(self, source, name):
        self.tar.add(source, arcname=name, filter=lambda i: setattr(i, "uid", 0) or setattr(i, "gid", 0)
                     or setattr(i, "uname", "root") or setattr(i, "gname", "root") or i)

    def close(self):
        self.tar.close()
        return {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + file_digest(self.path),
                "size": os.path.getsize(self.path)}


# The training run's sandbox: a mount and PID namespace, a /tmp of its own (the RIC unpacks its native library there),
# /proc; then the image's entrypoint from its working directory with only the given environment.
TRAINING_SANDBOX = """set -e
root=$1; tmp=$2; shift 2
mount --bind "$tmp" "$root/tmp"
mount -t proc proc "$root/proc"
exec chroot "$root" /bin/sh -c 'cd /var/task && exec /usr/bin/env -i "$@"' sh "$@"
"""


def aot_layer(args, work, rootfs, image_env):
    """Trains the AOT cache in the image as built so far (rootfs: the layers below unpacked) and returns its layer."""
    os.makedirs(os.path.join(rootfs, AOT_DIR), exist_ok=True)
    with zipfile.ZipFile(args.function_zip) as z, \
            zipfile.ZipFile(os.path.join(rootfs, TASK_JAR.lstrip("/")), "w", zipfile.ZIP_STORED) as jar:
        for entry in z.infolist():
            if not entry.filename.startswith("lib/"):
                jar.writestr(entry, z.read(entry))
    with socket.socket() as closed, tempfile.TemporaryDirectory(dir=work) as tmp:
        closed.bind(("127.0.0.1", 0))
        env = dict(e.split("=", 1) for e in image_env)
        env.update(TRAINING_ENV)
        env["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:%d" % closed.getsockname()[1]
        env["JAVA_TOOL_OPTIONS"] = "-XX:AOTCacheOutput=" + AOT_CACHE
        command = ["unshare", "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "-c", TRAINING_SANDBOX,
                   "sandbox", rootfs, tmp] + ["%s=%s" % kv for kv in sorted(env.items())] + [ENTRYPOINT_PATH, HANDLER]
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    cache = os.path.join(rootfs, AOT_CACHE.lstrip("/"))
    if not os.path.isfile(cache) or "AOTCache creation is complete" not in run.stdout.decode(errors="replace"):
        sys.stderr.write(run.stdout.decode(errors="replace"))
        raise SystemExit("the AOT training run in the image made no cache (its output is above)")
    layer = Layer(os.path.join(work, "aot.tar"))
    layer.directory(AOT_DIR)
    for name in (TASK_JAR, AOT_CACHE):
        layer.tree(os.path.join(rootfs, name.lstrip("/")), name.lstrip("/"))
    return layer


def layers(args, work, rootfs, image_env):
    base = base_rootfs(os.path.dirname(work))
    yield "base", base
    runtime = Layer(os.path.join(work, "runtime.tar"))
    for d in ("var", "var/lang", "var/runtime", "var/runtime/lib", "var/task", "opt", "opt/bin"):
        runtime.directory(d)
    runtime.tree(args.jdk, "var/lang")
    for jar in args.jar:
        runtime.tree(jar, "var/runtime/lib/" + os.path.basename(jar))
    runtime.data(ENTRYPOINT_PATH.lstrip("/"), ENTRYPOINT.encode(), 0o755)
    runtime.data("var/runtime/bootstrap", bootstrap(args).encode(), 0o755)
    yield "runtime", runtime
    function = Layer(os.path.join(work, "function.tar"))
    with zipfile.ZipFile(args.function_zip) as z:
        for entry in z.infolist():
            name = "var/task/" + entry.filename
            if entry.is_dir():
                function.directory(name.rstrip("/"))
            else:
                function.data(name, z.read(entry), 0o644)
    for path, name, mode in scanner_files(args.qscanner):
        with open(path, "rb") as f:
            function.data("opt/bin/" + name, f.read(), mode)
    for extra in args.extra:
        source, _, name = extra.partition("=")
        with open(source, "rb") as f:
            function.data(name.lstrip("/"), f.read(), 0o644)
    yield "function", function
    if args.aot:
        yield "aot", aot_layer(args, work, rootfs, image_env)


def blob(oci, content):
    digest = hashlib.sha256(content).hexdigest()
    with open(os.path.join(oci, "blobs", "sha256", digest), "wb") as f:
        f.write(content)
    return digest


def build(args, target):
    work = target + ".partial"
    shutil.rmtree(work, ignore_errors=True)
    oci = os.path.join(work, "oci")
    rootfs = os.path.join(work, "rootfs")
    os.makedirs(os.path.join(oci, "blobs", "sha256"))
    os.makedirs(rootfs)
    descriptors = []
    for _, layer in layers(args, work, rootfs, ENV):
        path = layer if isinstance(layer, str) else layer.path
        descriptor = {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + file_digest(path),
                      "size": os.path.getsize(path)} if isinstance(layer, str) else layer.close()
        blob_path = os.path.join(oci, "blobs", "sha256", descriptor["digest"].split(":")[1])
        if isinstance(layer, str):
            shutil.copyfile(path, blob_path)
        else:
            os.replace(path, blob_path)
        with tarfile.open(blob_path) as t:
            t.extractall(rootfs, filter="fully_trusted")  # our own layers and Debian's base (devices, owners)
        descriptors.append(descriptor)
    config = {
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "architecture": "arm64" if os.uname().machine == "aarch64" else "amd64", "os": "linux",
        "config": {"Entrypoint": [ENTRYPOINT_PATH], "Cmd": [HANDLER], "WorkingDir": "/var/task", "Env": ENV},
        "rootfs": {"type": "layers", "diff_ids": [d["digest"] for d in descriptors]},
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": "sha256:" + blob(oci, config_bytes), "size": len(config_bytes)},
                "layers": descriptors}
    manifest_bytes = json.dumps(manifest, sort_keys=True).encode()
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + blob(oci, manifest_bytes),
        "size": len(manifest_bytes), "annotations": {"org.opencontainers.image.ref.name": "run-qscanner"}}]}
    with open(os.path.join(oci, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(oci, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    # The config flattened for the emulator (local/emulator ContainerImage), which has no JSON library.
    with open(os.path.join(work, "config.args"), "w") as f:
        f.write("\n".join(config["config"]["Entrypoint"] + config["config"]["Cmd"]) + "\n")
    with open(os.path.join(work, "config.env"), "w") as f:
        f.write("\n".join(config["config"]["Env"]) + "\n")
    with open(os.path.join(work, "config.workdir"), "w") as f:
        f.write(config["config"]["WorkingDir"] + "\n")
    os.replace(work, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--jdk", required=True)
    parser.add_argument("--function-zip", required=True)
    parser.add_argument("--qscanner", required=True)
    parser.add_argument("--jar", action="append", required=True)
    parser.add_argument("--extra", action="append", default=[], help="FILE=/path/in/image, beside the scanner")
    parser.add_argument("--aot", action="store_true", help="add a Java 25 AOT cache trained in the image")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    target = os.path.join(os.path.abspath(args.out), cache_key(args))
    if not os.path.isdir(target):
        build(args, target)
        # An image is about a gigabyte: keep the one just built (and the base), not every earlier one of its kind.
        for name in os.listdir(args.out):
            path = os.path.join(os.path.abspath(args.out), name)
            key = name.split(".")[0]
            if path != target and len(key) == len(os.path.basename(target)) and key.endswith("-aot") == args.aot \
                    and os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
    print(target)


if __name__ == "__main__":
    sys.exit(main())
