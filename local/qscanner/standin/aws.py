"""README "Commands", `lambda (Hidden)`: QScanner reads the function with the AWS credentials and AWS_REGION of its
environment (lambda:GetFunction), downloads the Zip and scans the extracted code. Where the environment names an
endpoint (AWS_ENDPOINT_URL_LAMBDA or AWS_ENDPOINT_URL, which current AWS SDKs honour), the stand-in calls it, so a
check against the local emulator exercises the same path; otherwise (the tests' default) it reads nothing.
Requests are signed with SigV4 from the environment's credentials."""
import base64
import datetime
import hashlib
import hmac
import io
import json
import os
import urllib.parse
import urllib.request
import zipfile

from .cli import now


def endpoint():
    return os.environ.get("AWS_ENDPOINT_URL_LAMBDA") or os.environ.get("AWS_ENDPOINT_URL")


def _signed(method, base, path, query, body):
    region = os.environ["AWS_REGION"]
    url = urllib.parse.urlparse(base)
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": url.netloc, "x-amz-date": amz_date}
    if body is not None:
        headers["content-type"] = "application/json"
    if os.environ.get("AWS_SESSION_TOKEN"):
        headers["x-amz-security-token"] = os.environ["AWS_SESSION_TOKEN"]
    signed = ";".join(sorted(headers))
    canonical = "\n".join([method, path, query, "".join("%s:%s\n" % (k, headers[k]) for k in sorted(headers)), signed,
                           hashlib.sha256(body or b"").hexdigest()])
    scope = "%s/%s/lambda/aws4_request" % (amz_date[:8], region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + os.environ["AWS_SECRET_ACCESS_KEY"]).encode()
    for part in (amz_date[:8], region, "lambda", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        os.environ["AWS_ACCESS_KEY_ID"], scope, signed, signature)
    request = urllib.request.Request(base.rstrip("/") + path + ("?" + query if query else ""), data=body, method=method,
                                     headers={k: v for k, v in headers.items() if k != "host"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def get_function(base, function_name, qualifier):
    """GetFunction, then the code's download: the number of files in the Zip (the code stays in memory only), None
    when the code URL is not on the endpoint itself."""
    path = "/2015-03-31/functions/%s" % urllib.parse.quote(function_name, safe="")
    query = "Qualifier=" + urllib.parse.quote(qualifier, safe="") if qualifier else ""
    function = _signed("GET", base, path, query, None)
    location = function.get("Code", {}).get("Location")
    if not location or not location.startswith(base.rstrip("/")):
        # moto's code URL names the real S3 host, which a local check cannot (and must not) reach.
        return function, None
    with urllib.request.urlopen(location, timeout=30) as response:
        with zipfile.ZipFile(io.BytesIO(response.read())) as z:
            return function, len(z.namelist())


def update_function_code(base, function_name):
    """UpdateFunctionCode with a new one-file Zip (the change-code scenario)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("index.py", "# deployed during a scan at %s\ndef handler(event, context):\n    return 1\n" % now())
    body = json.dumps({"ZipFile": base64.b64encode(archive.getvalue()).decode()}).encode()
    path = "/2015-03-31/functions/%s/code" % urllib.parse.quote(function_name, safe="")
    return _signed("PUT", base, path, "", body).get("CodeSha256")
