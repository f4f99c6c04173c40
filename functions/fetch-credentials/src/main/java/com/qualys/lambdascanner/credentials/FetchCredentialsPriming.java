package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import java.time.Instant;

/**
 * What FetchCredentials runs before the SnapStart snapshot (see {@code common.priming.Priming}): the handler on
 * the sample input {@code events/fetch-credentials/request.json} (JSON in through the real records, the service
 * as far as its first SDK call, refused in the process), that input written back out, then the secret's validation
 * on a made-up value.
 */
final class FetchCredentialsPriming {

  private FetchCredentialsPriming() {}

  static PrimingSteps steps(FetchCredentialsHandler handler, JsonCodec json) {
    byte[] sample = PrimingSteps.sample(FetchCredentialsPriming.class, "/priming/request.json");
    return new PrimingSteps()
        .handler(handler, sample)
        .step("json", () -> json.toJson(json.read(new ByteArrayInputStream(sample), FetchCredentialsRequest.class)))
        // What the handler does with the secret it could not read here: a made-up value, not a credential.
        .step("secretFormat", () -> new SecretFormat(json.mapper())
            .validate("priming", "{\"accessToken\": \"priming-only-not-a-token\"}", Instant.now()));
  }
}
