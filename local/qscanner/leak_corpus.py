# -----------------------------------------------------------------------------------------------------------------
# STAND-IN SCANNER SCENARIOS leak-corpus AND leak-corpus-error: TEST SCAFFOLDING ONLY.
#
# A faulty (or hostile) scanner that writes its own credentials (the Qualys access token, or the client id and
# secret, and the AWS keys it was given) into every file and stream it produces, each in every encoding of FORMS
# below: the caller must let no form of them out (issue 22). Every form is written whole, in one place; a secret cut
# into pieces across fields is out of any guard's reach (docs/qscanner-integration.md, Redaction, says why).
#
# Python 3 standard library only.
# -----------------------------------------------------------------------------------------------------------------
import base64
import html
import json
import os
import sys
import urllib.parse


def _hex(s, fmt):
    return "".join(fmt % b for b in s.encode())


def _b64(s):
    return base64.b64encode(s.encode()).decode()


def _wrap(s, width, sep):
    return sep.join(s[i:i + width] for i in range(0, len(s), width))


def _entities(s, fmt):
    return "".join(fmt % ord(c) for c in s)


def _q(s):
    return urllib.parse.quote(s, safe="")


# (name, encode): each writes the value the way some tool does.
FORMS = [
    ("plain", lambda s: s),
    ("json-slash", lambda s: s.replace("/", "\\/")),
    ("json-unicode-upper", lambda s: "".join(c if c.isalnum() else "\\u%04X" % ord(c) for c in s)),
    ("json-unicode-all", lambda s: "".join("\\u%04x" % ord(c) for c in s)),
    ("json-in-json", lambda s: json.dumps(json.dumps({"token": s}))),
    ("percent", _q),
    ("percent-lower", lambda s: "".join(("%%%02x" % b) if chr(b) not in "-._~" and not chr(b).isalnum() else chr(b)
                                        for b in s.encode())),
    ("percent-all", lambda s: _hex(s, "%%%02X")),
    ("percent-twice", lambda s: _q(_q(s))),
    ("percent-thrice", lambda s: _q(_q(_q(s)))),
    ("form", urllib.parse.quote_plus),
    ("base64", _b64),
    ("base64-offset-1", lambda s: _b64("a" + s)),
    ("base64-offset-2", lambda s: _b64("ab" + s)),
    ("base64url", lambda s: base64.urlsafe_b64encode(("xyz" + s).encode()).decode().rstrip("=")),
    ("basic-auth", lambda s: "Basic " + _b64("AWS:" + s)),
    ("base64-wrapped-76", lambda s: _wrap(_b64("-----" + s + s), 76, "\n")),
    ("base64-wrapped-20-indented", lambda s: _wrap(_b64(s), 20, "\n    ")),
    ("base64-wrapped-json", lambda s: _wrap(_b64("q" + s), 64, "\\n")),
    ("base32", lambda s: base64.b32encode(s.encode()).decode()),
    ("base32-lower", lambda s: base64.b32encode(("k" + s).encode()).decode().lower().rstrip("=")),
    ("hex", lambda s: s.encode().hex()),
    ("hex-upper", lambda s: s.encode().hex().upper()),
    ("hex-escaped", lambda s: _hex(s, "\\x%02x")),
    ("hex-escaped-upper", lambda s: _hex(s, "\\x%02X")),
    ("html-decimal", lambda s: _entities(s, "&#%d;")),
    ("html-hex", lambda s: _entities(s, "&#x%x;")),
    ("xml-escaped", lambda s: html.escape(s, quote=True).replace("/", "&sol;").replace("+", "&plus;")),
    ("json-escaped-percent", lambda s: json.dumps(_q(s))[1:-1].replace("%", "\\u0025")),
    ("base64-of-json", lambda s: _b64(json.dumps({"password": s}))),
    ("percent-of-base64", lambda s: _q(_b64("AWS:" + s))),
    ("base64-of-percent", lambda s: _b64("t=" + _q(s))),
    ("hex-of-base64", lambda s: _b64(s).encode().hex()),
    ("json-escaped-html", lambda s: _entities(s, "&#%d;").replace("&", "\\u0026")),
    ("split-lines", lambda s: _wrap(s, 10, "\n  ")),
    ("python-bytes", lambda s: repr(s.encode())),
    ("percent-of-html", lambda s: _q(_entities(s, "&#%d;"))),
]


def credentials():
    """The credentials this run was given, by what they are."""
    names = {"qualys-token": "QUALYS_ACCESS_TOKEN", "qualys-client-id": "QUALYS_CLIENT_ID",
             "qualys-client-secret": "QUALYS_CLIENT_SECRET", "aws-secret-key": "AWS_SECRET_ACCESS_KEY",
             "aws-session-token": "AWS_SESSION_TOKEN"}
    return [(kind, os.environ[var]) for kind, var in names.items() if os.environ.get(var)]


def lines():
    """One line per credential and form: "leak <kind> <form>: <encoded>"."""
    return ["leak %s %s: %s" % (kind, name, encode(value)) for kind, value in credentials() for name, encode in FORMS]


def _plant(node, corpus, counter):
    """Every string of a JSON document that a caller reads (titles, messages, names) gets one form appended."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in ("Title", "text", "name", "Name", "QScannerVersion", "version"):
                node[key] = value + " " + corpus[counter[0] % len(corpus)]
                counter[0] += 1
            else:
                _plant(value, corpus, counter)
    elif isinstance(node, list):
        for item in node:
            _plant(item, corpus, counter)


def leak(output_dir):
    """Writes the corpus into every output file (whole, under "LeakCorpus", and one form per readable string) and
    into stdout and stderr."""
    corpus = lines()
    for name in sorted(os.listdir(output_dir)):
        path = os.path.join(output_dir, name)
        if not name.endswith(".json") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        _plant(document, corpus, [0])
        if isinstance(document, dict):
            document["LeakCorpus"] = corpus
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2)
    for line in corpus:
        print("debug: " + line, flush=True)
        print("debug: " + line, file=sys.stderr, flush=True)
