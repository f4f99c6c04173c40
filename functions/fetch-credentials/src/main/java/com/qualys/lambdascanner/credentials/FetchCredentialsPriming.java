package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import java.time.Instant;

/**
 * What FetchCredentials runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/fetch-credentials/request.json} (JSON in through the real records, the service
 * as far as its first SDK call, refused in the process), that input written back out, then Secrets Manager
 * GetSecretValue with a made-up answer (so the JSON protocol's response reading loads too) and the secret's
 * validation on a made-up value. Nothing keeps either: the function caches no secret.
 */
final class FetchCredentialsPriming {

  private static final String SECRET_VALUE = """
      {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf", "Name": "priming",
       "VersionId": "00000000-0000-4000-8000-000000000000", "SecretString": "priming-only-not-a-secret",
       "VersionStages": ["AWSCURRENT"], "CreatedDate": 1764547200}
      """;

  private FetchCredentialsPriming() {}

  static PrimingSteps steps(FetchCredentialsHandler handler, FetchCredentialsComponent component) {
    JsonCodec json = component.json();
    byte[] sample = PrimingSteps.sample(FetchCredentialsPriming.class, "/priming/request.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), FetchCredentialsRequest.class)))
        .step("getSecretValue", request -> PrimingSteps.signedFor(request, "secretsmanager"),
            "application/x-amz-json-1.1", SECRET_VALUE,
            () -> component.secretsManager().getSecretValue(b -> b.secretId("priming")))
        // What the handler does with the secret it could not read here: a made-up value, not a credential.
        .step("secretFormat", () -> new SecretFormat(json.mapper())
            .validate("priming", "{\"accessToken\": \"priming-only-not-a-token\"}", Instant.now()));
  }
}
