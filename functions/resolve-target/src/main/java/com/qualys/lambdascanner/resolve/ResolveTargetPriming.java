package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.Decision;
import com.qualys.lambdascanner.common.model.ResolvedScan;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;

/**
 * What ResolveTarget runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/resolve-target/wrapped-direct.json} (JSON in through the real records, the
 * service as far as its first SDK call, refused in the process), that input written back out, then the SDK calls
 * the handler did not reach, with made-up answers: Lambda GetFunction, the S3 claim (the real {@link ClaimStore})
 * and the GetObject that reads a held claim; and a {@code ResolvedScan} written out.
 */
final class ResolveTargetPriming {

  /** A GetFunction answer of the shape Lambda sends (made up: no such function exists). */
  private static final String GET_FUNCTION = """
      {"Configuration": {"FunctionName": "priming",
       "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:priming", "Runtime": "java25",
       "Role": "arn:aws:iam::123456789012:role/priming", "Handler": "priming::handleRequest",
       "CodeSize": 1, "CodeSha256": "cHJpbWluZw==", "Version": "$LATEST", "PackageType": "Zip",
       "Architectures": ["x86_64"], "State": "Active", "LastUpdateStatus": "Successful",
       "Layers": [{"Arn": "arn:aws:lambda:us-east-1:123456789012:layer:priming:1", "CodeSize": 1}]},
       "Code": {"RepositoryType": "S3"}, "Tags": {"priming": "true"}}
      """;

  private ResolveTargetPriming() {}

  static PrimingSteps steps(ResolveTargetHandler handler, ResolveTargetComponent component) {
    JsonCodec json = component.json();
    byte[] sample = PrimingSteps.sample(ResolveTargetPriming.class, "/priming/wrapped-direct.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), JsonNode.class)))
        // The handler stops at its first AWS call (the own account, from STS, refused: an answer would be cached);
        // the calls after it on their own. GetFunction gets a made-up answer, so its response model loads too.
        .step("getFunction", request -> PrimingSteps.signedFor(request, "lambda"), "application/json", GET_FUNCTION,
            () -> component.lambdaClients().forRegion(component.config().defaultRegion())
                .getFunction(b -> b.functionName("priming")))
        // The claim wins against a made-up S3 answer (PutObject's response model); a held claim is read with
        // GetObject, primed on its own.
        .step("claim", request -> PrimingSteps.signedFor(request, "s3"), "application/xml", "",
            () -> component.claims().claim("priming", "priming", false))
        .step("readClaim", request -> PrimingSteps.signedFor(request, "s3"), "application/json", "{}",
            () -> component.s3().getObjectAsBytes(b -> b.bucket("priming").key("priming")).asUtf8String())
        .step("output", () -> json.toJson(new ResolvedScan("priming", null, null,
            Decision.skip(SkipReason.NOT_FOUND, "priming"), null)));
  }
}
