package com.qualys.lambdascanner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Security Hub's REST-JSON API, the one call this function makes (BatchImportFindings, {@code POST
 * /findings/import}), over the function's one HTTP client and signed with the SDK's own SigV4 signer. Not the SDK's
 * securityhub module: it is not served at the SDK version the project pins, mixing versions is not an option, and
 * one small class loads less at cold start than a generated client would.
 */
final class SecurityHubClient {

  static final String SIGNING_NAME = "securityhub";
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final SdkHttpClient http;
  private final Function<String, URI> endpoint;
  private final JsonCodec json;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /** @param endpoint the service's endpoint in a region */
  SecurityHubClient(SdkHttpClient http, Function<String, URI> endpoint, JsonCodec json) {
    this.http = http;
    this.endpoint = endpoint;
    this.json = json;
  }

  /**
   * The endpoint: {@code AWS_ENDPOINT_URL_SECURITYHUB}, else {@code AWS_ENDPOINT_URL} (as the SDK's own clients
   * read them), else the public one of the region's partition.
   */
  static Function<String, URI> endpoints(String securityHubOverride, String globalOverride) {
    String override = securityHubOverride != null && !securityHubOverride.isBlank() ? securityHubOverride : globalOverride;
    if (override != null && !override.isBlank()) {
      URI uri = URI.create(override);
      return region -> uri;
    }
    return region -> URI.create("https://securityhub." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
  }

  /** What the service answered: its status, its error code when it refused, and the JSON body (null if none). */
  record Response(int status, String errorCode, JsonNode body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  /** BatchImportFindings: {@code {"Findings": [...]}} in, {@code SuccessCount, FailedCount, FailedFindings} out. */
  Response batchImportFindings(String region, AwsCredentialsIdentity credentials, JsonNode request) throws IOException {
    return post(region, credentials, "/findings/import", request);
  }

  /** A signed POST of a JSON body to one of the service's paths. */
  Response post(String region, AwsCredentialsIdentity credentials, String path, JsonNode request) throws IOException {
    byte[] body = json.toJson(request).getBytes(StandardCharsets.UTF_8);
    URI base = endpoint.apply(region);
    SdkHttpRequest unsigned = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(base.resolve(path))
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", Integer.toString(body.length))
        .build();
    SignedRequest signed = signer.sign(r -> r.identity(credentials)
        .request(unsigned)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
        .request(signed.request())
        .contentStreamProvider(signed.payload().orElse(null))
        .build()).call();
    int status = response.httpResponse().statusCode();
    JsonNode parsed = null;
    if (response.responseBody().isPresent()) {
      try (InputStream in = response.responseBody().get()) {
        byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES);
        parsed = parse(bytes);
      }
    }
    return new Response(status, status / 100 == 2 ? null : errorCode(response, parsed), parsed);
  }

  private JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // An error page that is not JSON (a proxy's, say): the status still says what happened.
      return null;
    }
  }

  /** The REST-JSON error code: the x-amzn-ErrorType header, else the body's {@code __type} or {@code code}. */
  private static String errorCode(HttpExecuteResponse response, JsonNode body) {
    String code = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null);
    if (code == null && body != null) {
      code = body.hasNonNull("__type") ? body.get("__type").asText() : body.path("code").asText(null);
    }
    if (code == null) {
      return null;
    }
    // "AccessDeniedException:http://internal.amazon.com/...", "aws.protocol#Name": the name alone.
    int colon = code.indexOf(':');
    code = colon >= 0 ? code.substring(0, colon) : code;
    int hash = code.lastIndexOf('#');
    code = hash >= 0 ? code.substring(hash + 1) : code;
    return token(code);
  }

  /** An error code as the record may carry it: attacker-reachable text (a proxy on the way), so a bounded plain token. */
  static String token(String code) {
    if (code == null) {
      return null;
    }
    String clean = code.replaceAll("[^A-Za-z0-9_.-]", "");
    return clean.length() > 64 ? clean.substring(0, 64) : clean;
  }
}
