package com.qualys.lambdascanner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry API of {@link EcrRegistry} with moto behind it, as the deployer (the harness: not evaluated) uses it:
 * a pushed image pulled back byte for byte, moto's ECR and Lambda agreeing on its digest, and ECR's own 401 and 404
 * answers. Pulls refused by IAM (403 DENIED) are tested where the stack's policies are enforced: RunQScannerIT,
 * CrossAccountScanIT.
 */
class EcrRegistryIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final String HOST = ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LocalLambda lambda;
  private static MotoServer moto;
  private static EcrRegistry.Pushed pushed;

  @BeforeAll
  static void start() {
    lambda = LocalLambda.start();
    moto = MotoServer.start(lambda.port());
    lambda.forwardTo(moto.endpoint());
    pushed = lambda.registry().push(ACCOUNT, REGION, "team/orders", "v1", "amd64",
        Map.of("app/handler.py", "def handler(e, c):\n    return 1\n", "app/util.py", "X = 1\n"));
  }

  @AfterAll
  static void stop() {
    lambda.close();
    moto.close();
  }

  @Test
  void pull_whenTokenFromGetAuthorizationToken_manifestAndBlobsServedWithTheirDigests() throws Exception {
    String password = token();

    Response manifest = get("/v2/team/orders/manifests/v1", password);
    Response byDigest = get("/v2/team/orders/manifests/" + pushed.digest(), password);

    assertThat(manifest.status()).isEqualTo(200);
    assertThat(manifest.header("Docker-Content-Digest")).isEqualTo(pushed.digest());
    assertThat(EcrRegistry.digest(manifest.body())).isEqualTo(pushed.digest());
    assertThat(byDigest.body()).isEqualTo(manifest.body());
    Matcher layer = Pattern.compile("\"layers\":\\[\\{[^}]*\"digest\":\"(sha256:[0-9a-f]{64})\"")
        .matcher(new String(manifest.body(), StandardCharsets.UTF_8));
    assertThat(layer.find()).isTrue();
    Response blob = get("/v2/team/orders/blobs/" + layer.group(1), password);
    assertThat(blob.status()).isEqualTo(200);
    assertThat(EcrRegistry.digest(blob.body())).isEqualTo(layer.group(1));
    // moto's ECR keeps the manifest under the digest the registry serves it with.
    assertThat(ecr("DescribeImages", "{\"repositoryName\":\"team/orders\"}")).contains(pushed.digest());
  }

  @Test
  void createFunction_whenImageTagPushed_resolvedImageUriNamesThePushedDigest() throws Exception {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
        + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    HTTP.send(HttpRequest.newBuilder(moto.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION
            + "/iam/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString("Action=CreateRole&Version=2010-05-08&RoleName=r"
            + "&AssumeRolePolicyDocument=" + java.net.URLEncoder.encode(policy, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    String created = lambdaCall("POST", "/2015-03-31/functions", "{\"FunctionName\":\"orders-image\","
        + "\"Role\":\"arn:aws:iam::" + ACCOUNT + ":role/r\",\"PackageType\":\"Image\","
        + "\"Code\":{\"ImageUri\":\"" + HOST + "/team/orders:v1\"}}");
    assertThat(created).contains("orders-image");

    String function = lambdaCall("GET", "/2015-03-31/functions/orders-image", null);

    assertThat(function).contains("\"ResolvedImageUri\": \"" + HOST + "/team/orders@" + pushed.digest() + "\"");
  }

  @Test
  void pull_whenNoUnknownOrExpiredToken_401DeniedAsEcrAnswers() throws Exception {
    Response none = raw("GET", "/v2/team/orders/manifests/v1", null);
    Response unknown = get("/v2/team/orders/manifests/v1", "not-a-token-anyone-was-given");
    String expired = "expired-" + System.nanoTime();
    String answer = "{\"authorizationData\":[{\"authorizationToken\":\""
        + Base64.getEncoder().encodeToString(("AWS:" + expired).getBytes(StandardCharsets.UTF_8))
        + "\",\"expiresAt\":1420070400.0}]}";
    lambda.registry().issued(null, answer.getBytes(StandardCharsets.UTF_8));
    Response late = get("/v2/team/orders/manifests/v1", expired);

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Basic realm=\"https://" + HOST + "/\"");
    assertThat(new String(none.body(), StandardCharsets.UTF_8)).contains("{\"errors\":[{\"code\":\"DENIED\"");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("\"DENIED\"");
    assertThat(late.status()).isEqualTo(401);
    assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("expired");
  }

  @Test
  void pull_whenTagOrBlobOrRepositoryUnknown_404WithTheRegistrysCode() throws Exception {
    String password = token();

    assertThat(get("/v2/team/orders/manifests/v9", password).status()).isEqualTo(404);
    assertThat(new String(get("/v2/team/orders/manifests/v9", password).body(), StandardCharsets.UTF_8))
        .contains("MANIFEST_UNKNOWN");
    assertThat(get("/v2/team/orders/blobs/sha256:" + "0".repeat(64), password).status()).isEqualTo(404);
    assertThat(new String(get("/v2/nothing/manifests/v1", password).body(), StandardCharsets.UTF_8))
        .contains("NAME_UNKNOWN");
  }

  /** GetAuthorizationToken through the emulator, as the harness: the password of {@code AWS:<password>}. */
  private static String token() throws Exception {
    Matcher token = Pattern.compile("\"authorizationToken\": ?\"([^\"]+)\"")
        .matcher(ecrThroughEmulator("GetAuthorizationToken", "{}"));
    assertThat(token.find()).isTrue();
    String decoded = new String(Base64.getDecoder().decode(token.group(1)), StandardCharsets.UTF_8);
    assertThat(decoded).startsWith("AWS:").isNotEqualTo("AWS:" + ACCOUNT + "-auth-token");
    return decoded.substring(4);
  }

  private static String ecrThroughEmulator(String operation, String body) throws Exception {
    return call(lambda.endpoint(), operation, body);
  }

  private static String ecr(String operation, String body) throws Exception {
    return call(moto.endpoint(), operation, body);
  }

  private static String call(URI endpoint, String operation, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION
            + "/ecr/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String lambdaCall(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(lambda.endpoint().resolve(path))
        .header("Content-Type", "application/json")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION
            + "/lambda/aws4_request, SignedHeaders=host, Signature=0")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
  }

  private static Response get(String path, String password) throws IOException {
    return raw("GET", path, "Basic " + Base64.getEncoder()
        .encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A registry request over a plain socket: the ECR host goes in {@code Host}, which Java's HTTP clients do not let
   * a caller set.
   */
  private static Response raw(String method, String path, String authorization) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", lambda.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      byte[] bytes = all.toByteArray();
      int end = 0;
      while (!(bytes[end] == '\r' && bytes[end + 1] == '\n' && bytes[end + 2] == '\r' && bytes[end + 3] == '\n')) {
        end++;
      }
      String[] lines = new String(bytes, 0, end, StandardCharsets.US_ASCII).split("\r\n");
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        headers.put(lines[i].substring(0, lines[i].indexOf(':')), lines[i].substring(lines[i].indexOf(':') + 1).strip());
      }
      byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
      if ("chunked".equalsIgnoreCase(headers.get("Transfer-encoding"))) {
        body = unchunk(body);
      }
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = i;
      while (chunked[eol] != '\r') {
        eol++;
      }
      int size = Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.US_ASCII).strip(), 16);
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(chunked, eol + 2, size);
      i = eol + 2 + size + 2;
    }
  }
}
