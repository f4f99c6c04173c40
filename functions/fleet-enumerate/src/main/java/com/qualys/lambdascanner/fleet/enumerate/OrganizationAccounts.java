package com.qualys.lambdascanner.fleet.enumerate;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Organizations ListAccounts, every page, for {@code FLEET_ACCOUNTS_FROM_ORGANIZATION}. The SDK's organizations
 * module is not served at the SDK version the project manages (and versions are not mixed), so this is the one
 * call by hand: JSON 1.1 over the function's HTTP client, signed with the SDK's own SigV4 signer and the default
 * credentials. Only the management account or a delegated administrator may call it; anyone else's
 * AccessDeniedException is a {@link TerminalException} naming that rule, which the fleet run reports.
 */
public final class OrganizationAccounts {

  static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
  /** ListAccounts' maximum page size. */
  static final int PAGE = 20;
  /** A page of 20 accounts is a few KiB: anything far bigger is not an Organizations answer. */
  static final int MAX_BODY = 1024 * 1024;
  /** A bound on a NextToken loop (a broken or hostile endpoint): 10,000 pages = 200,000 accounts. */
  static final int MAX_PAGES = 10_000;
  private static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
  private static final Pattern TOKEN = Pattern.compile("^[\\x21-\\x7e]{1,100000}$");

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final URI endpoint;
  private final String signingRegion;
  private final JsonCodec json;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param endpoint the partition's Organizations endpoint (the service is global, served from one region)
   * @param signingRegion that region
   */
  public OrganizationAccounts(
      SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingRegion, JsonCodec json) {
    this.http = http;
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.signingRegion = signingRegion;
    this.json = json;
  }

  /**
   * The Organization's endpoint for the partition of {@code region}, or the SDK's own override variables
   * ({@code AWS_ENDPOINT_URL_ORGANIZATIONS}, {@code AWS_ENDPOINT_URL}: the local emulator sets the second).
   */
  static Map.Entry<URI, String> endpointFor(String region, Map<String, String> env) {
    String signing = switch (region == null ? "aws" : LambdaFunctionLister.partitionOf(region)) {
      case "aws-cn" -> "cn-northwest-1";
      case "aws-us-gov" -> "us-gov-west-1";
      default -> "us-east-1";
    };
    String override = env.getOrDefault("AWS_ENDPOINT_URL_ORGANIZATIONS", env.get("AWS_ENDPOINT_URL"));
    if (override != null && !override.isBlank()) {
      return Map.entry(URI.create(override.strip()), signing);
    }
    String suffix = signing.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    return Map.entry(URI.create("https://organizations." + signing + suffix), signing);
  }

  /**
   * Every ACTIVE account id, in the order listed. An empty page with a NextToken is read on (AWS says it
   * happens); an entry without a valid id is skipped and reported to {@code rejected}.
   *
   * @throws TerminalException refused (AccessDenied: not the management account or a delegated administrator;
   *     not in an Organization) or an answer that is not ListAccounts'
   * @throws RetryableException throttling (TooManyRequestsException), 5xx, or the network
   */
  public List<String> activeAccounts(Consumer<String> rejected) {
    List<String> active = new ArrayList<>();
    String token = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("MaxResults", PAGE);
      if (token != null) {
        body.put("NextToken", token);
      }
      JsonNode answer = invoke("ListAccounts", body);
      for (JsonNode account : answer.path("Accounts")) {
        String id = account.path("Id").asText("");
        if (!ACCOUNT.matcher(id).matches()) {
          rejected.accept("ListAccounts returned an entry without a 12-digit account id");
          continue;
        }
        // State replaces the deprecated Status; either says ACTIVE for an account that can be listed.
        String state = account.path("State").asText(account.path("Status").asText(""));
        if ("ACTIVE".equals(state)) {
          active.add(id);
        }
      }
      JsonNode next = answer.path("NextToken");
      if (!next.isTextual() || next.asText().isEmpty()) {
        return active;
      }
      if (!TOKEN.matcher(next.asText()).matches()) {
        throw new TerminalException("organizations:ListAccounts returned a NextToken that is not one");
      }
      token = next.asText();
    }
    throw new TerminalException("organizations:ListAccounts kept returning a NextToken after " + MAX_PAGES + " pages");
  }

  /** One signed Organizations call (package-private: the tests set up moto's Organization the same way). */
  JsonNode invoke(String operation, Map<String, Object> body) {
    byte[] payload = json.toJson(body).getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .encodedPath("/").putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET_PREFIX + operation)
        .build();
    SignedRequest signed;
    try {
      signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
          .payload(ContentStreamProvider.fromByteArray(payload))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
          .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
    } catch (RuntimeException e) {
      throw new TerminalException("organizations:" + operation + " could not be signed (no credentials)", e);
    }
    HttpExecuteResponse response;
    byte[] answer;
    try {
      response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
          .contentStreamProvider(signed.payload().orElse(null)).build()).call();
      answer = read(response);
    } catch (IOException e) {
      throw new RetryableException("organizations:" + operation + " did not complete (network or timeout)", e);
    }
    int status = response.httpResponse().statusCode();
    JsonNode parsed = parse(answer);
    if (status / 100 == 2 && parsed != null && parsed.isObject()) {
      return parsed;
    }
    String code = errorCode(response, parsed);
    String what = "organizations:" + operation + " failed (" + code + ", HTTP " + status + ")";
    if (status >= 500 || code.equals("TooManyRequestsException") || code.equals("ServiceException")
        || code.equals("ConcurrentModificationException")) {
      throw new RetryableException(what, null);
    }
    if (code.equals("AccessDeniedException")) {
      throw new TerminalException(what + ": only the Organization's management account or a delegated"
          + " administrator for AWS Organizations may list its accounts");
    }
    throw new TerminalException(what);
  }

  private static byte[] read(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = response.responseBody().get()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new TerminalException("an Organizations answer held more than " + MAX_BODY + " bytes");
      }
      return bytes;
    }
  }

  private JsonNode parse(byte[] answer) {
    try {
      return answer.length == 0 ? null : json.mapper().readTree(answer);
    } catch (IOException e) {
      return null;
    }
  }

  /** The error's short name ({@code x-amzn-ErrorType} or {@code __type}, without the namespace), bounded. */
  private static String errorCode(HttpExecuteResponse response, JsonNode parsed) {
    String type = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
        .orElse(parsed == null ? "" : parsed.path("__type").asText(""));
    type = type.replaceAll(":.*$", "").replaceAll("^.*#", "");
    return type.matches("^[A-Za-z]{1,64}$") ? type : "no error code";
  }
}
