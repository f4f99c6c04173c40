package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.secret.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Qualys credentials read from the secret: an access token, or a client id and secret. Lives only in
 * memory for one invocation and reaches qscanner through its environment, never its command line.
 */
record QualysAuth(String accessToken, String clientId, String clientSecret) {

  /** The variables qscanner reads (qscanner.md: {@code QUALYS_ACCESS_TOKEN}, or the client pair). */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (accessToken != null) {
      env.put("QUALYS_ACCESS_TOKEN", accessToken);
    } else {
      env.put("QUALYS_CLIENT_ID", clientId);
      env.put("QUALYS_CLIENT_SECRET", clientSecret);
    }
    return env;
  }

  /** The values to mask wherever text leaves this function. The client id is not secret, but costs nothing. */
  List<Secret> secrets() {
    return Stream.of(
            new Secret("qualys-token", accessToken),
            new Secret("qualys-client-id", clientId),
            new Secret("qualys-client-secret", clientSecret))
        .filter(s -> s.value() != null)
        .toList();
  }

  @Override
  public String toString() {
    return "QualysAuth[" + (accessToken != null ? "accessToken" : "clientCredentials") + "]";
  }
}
