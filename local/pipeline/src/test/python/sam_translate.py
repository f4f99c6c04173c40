"""template.yaml through the SAM transform, as CloudFormation applies it: prints the resulting template as JSON.

The transform is AWS's own (samtranslator, which cfn-lint installs and runs). Local CodeUri / DefinitionUri /
ContentUri paths become S3 locations first, as `sam package` makes them; intrinsic functions stay for the caller.
Usage: python3 sam_translate.py TEMPLATE REGION
"""
import json
import os
import sys

from cfnlint.decode import decode_str
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """The template names managed policies by ARN only: nothing to look up."""

    def load(self):
        return {}


def main(path, region):
    os.environ["AWS_DEFAULT_REGION"] = region
    with open(path, encoding="utf-8") as f:
        template, problems = decode_str(f.read())
    if problems:
        raise SystemExit("cannot read %s: %s" % (path, problems))
    template = json.loads(json.dumps(template, default=str))
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        for uri in ("CodeUri", "DefinitionUri", "ContentUri"):
            if isinstance(properties.get(uri), str):
                properties[uri] = "s3://packaged/" + logical_id
    json.dump(transform(template, {}, NoManagedPolicies()), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
