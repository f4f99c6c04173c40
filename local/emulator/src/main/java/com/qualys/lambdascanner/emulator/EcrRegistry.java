package com.qualys.lambdascanner.emulator;

import com.qualys.lambdascanner.emulator.Authorization.Principal;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECR registry's HTTP API (Docker Registry HTTP API v2, pull side), which moto 5.2.1 does not have: what an image
 * scanner talks to after {@code ecr:GetAuthorizationToken}. Addressed as ECR is, by host
 * ({@code <account>.dkr.ecr.<region>.amazonaws.com}, sent in the {@code Host} header to this endpoint: the clients
 * that use it map the ECR host here, a test mapping), with Basic auth {@code AWS:<password>}.
 *
 * <p>Each password GetAuthorizationToken handed out through the emulator is remembered with the principal that asked
 * for it and its expiry; every registry request is authorised as that principal, as ECR does: a manifest as
 * {@code ecr:BatchGetImage}, a layer download as {@code ecr:GetDownloadUrlForLayer}, a blob existence check (HEAD, what
 * a push does before uploading) as {@code ecr:BatchCheckLayerAvailability}, on the repository's ARN. An unknown or
 * expired password gets 401, a refusal 403, both with the registry's own error body
 * ({@code {"errors":[{"code":"DENIED",...}]}}). Manifests are moto's (BatchGetImage, so DescribeImages agrees with what
 * is served); layers and configs are kept here, pushed by the harness ({@link #push}), which stands for the deployer.
 */
public final class EcrRegistry {

  private static final Pattern HOST =
      Pattern.compile("(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?::\\d+)?");
  private static final Pattern PATH =
      Pattern.compile("/v2/([a-z0-9][a-z0-9._/-]{0,255})/(manifests|blobs)/([A-Za-z0-9_.:-]{1,160})");
  private static final Pattern TOKEN =
      Pattern.compile("\"authorizationToken\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"\\s*,\\s*\"expiresAt\"\\s*:\\s*([0-9.eE+]+)");
  private static final Pattern MANIFEST = Pattern.compile("\"imageManifest\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern MEDIA_TYPE = Pattern.compile("\"imageManifestMediaType\"\\s*:\\s*\"([^\"]+)\"");
  static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

  /** Who a password belongs to (null: the harness, not evaluated) and until when. */
  private record Grant(Principal principal, Instant expires) {}

  /** An image pushed: its manifest digest ({@code sha256:...}) and the reference to pull it by digest. */
  public record Pushed(String digest, String reference) {}

  private final Map<String, Grant> passwords = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Supplier<URI> moto;

  EcrRegistry(Supplier<URI> moto) {
    this.moto = moto;
  }

  /** A registry request: {@code /v2/...} not signed with SigV4 (an S3 bucket named v2 is signed). */
  static boolean handles(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    return (path.equals("/v2") || path.startsWith("/v2/"))
        && (authorization == null || authorization.regionMatches(true, 0, "Basic ", 0, 6));
  }

  /** GetAuthorizationToken answered 200 through the emulator: its passwords act as {@code principal} until expiry. */
  void issued(Principal principal, byte[] answer) {
    Matcher token = TOKEN.matcher(new String(answer, StandardCharsets.UTF_8));
    while (token.find()) {
      String decoded = new String(Base64.getDecoder().decode(token.group(1)), StandardCharsets.UTF_8);
      Instant expires = Instant.ofEpochMilli((long) (Double.parseDouble(token.group(2)) * 1000));
      passwords.put(decoded.substring(decoded.indexOf(':') + 1), new Grant(principal, expires));
    }
  }

  /** Every password handed out so far, for the leak checks. */
  public List<String> issuedPasswords() {
    return List.copyOf(passwords.keySet());
  }

  /**
   * Pushes an image as the deployer would ({@code docker push}): the blobs kept here, the repository created if
   * missing and the manifest put with moto's PutImage under {@code tag}, with the digest ECR gives it (the SHA-256 of
   * the manifest's bytes).
   */
  public Pushed push(String account, String region, String repository, String tag, byte[] config, List<byte[]> layers) {
    String configDigest = digest(config);
    blobs.put(blobKey(account, region, repository, configDigest), config);
    List<String> layerEntries = new ArrayList<>();
    for (byte[] layer : layers) {
      String layerDigest = digest(layer);
      blobs.put(blobKey(account, region, repository, layerDigest), layer);
      layerEntries.add("{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar\",\"size\":" + layer.length
          + ",\"digest\":\"" + layerDigest + "\"}");
    }
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_V2 + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length + ",\"digest\":\""
        + configDigest + "\"},\"layers\":[" + String.join(",", layerEntries) + "]}";
    String manifestDigest = digest(manifest.getBytes(StandardCharsets.UTF_8));
    ecr(account, region, "CreateRepository", "{\"repositoryName\":" + Json.quote(repository) + "}");
    HttpResponse<byte[]> put = ecr(account, region, "PutImage", "{\"repositoryName\":" + Json.quote(repository)
        + ",\"imageManifest\":" + Json.quote(manifest) + ",\"imageManifestMediaType\":\"" + MANIFEST_V2
        + "\",\"imageTag\":" + Json.quote(tag) + ",\"imageDigest\":\"" + manifestDigest + "\"}");
    if (put.statusCode() != 200) {
      throw new IllegalStateException("PutImage failed: " + new String(put.body(), StandardCharsets.UTF_8));
    }
    return new Pushed(manifestDigest,
        account + ".dkr.ecr." + region + ".amazonaws.com/" + repository + "@" + manifestDigest);
  }

  /** A small image ({@code files} in one layer, for linux/{@code architecture}) pushed as {@link #push} does. */
  public Pushed push(String account, String region, String repository, String tag, String architecture,
      Map<String, String> files) {
    byte[] layer = ImageTar.layer(files);
    return push(account, region, repository, tag, ImageTar.config(architecture, layer), List.of(layer));
  }

  void serve(HttpExchange exchange, Enforcement enforcement) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    Matcher registry = host == null ? null : HOST.matcher(host);
    if (registry == null || !registry.matches()) {
      error(exchange, 404, "NAME_UNKNOWN", "no ECR registry is addressed by host " + host);
      return;
    }
    String account = registry.group(1);
    String region = registry.group(2);
    String method = exchange.getRequestMethod();
    Grant grant = grant(exchange, host);
    if (grant == null) {
      return;
    }
    String path = exchange.getRequestURI().getRawPath();
    if (path.equals("/v2") || path.equals("/v2/")) {
      send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
      return;
    }
    Matcher request = PATH.matcher(path);
    if (!request.matches() || !(method.equals("GET") || method.equals("HEAD"))) {
      error(exchange, 405, "UNSUPPORTED", "only pulls are served: GET or HEAD of a manifest or a blob");
      return;
    }
    String repository = request.group(1);
    boolean manifest = request.group(2).equals("manifests");
    String action = manifest ? "ecr:BatchGetImage"
        : method.equals("HEAD") ? "ecr:BatchCheckLayerAvailability" : "ecr:GetDownloadUrlForLayer";
    String repositoryArn = "arn:aws:ecr:" + region + ":" + account + ":repository/" + repository;
    if (grant.principal() != null && enforcement != null) {
      Authorization.Decision decision = enforcement.decide(grant.principal(),
          new AwsRequest.Check(action, repositoryArn, account, Map.of()), region);
      if (!decision.allowed()) {
        error(exchange, 403, "DENIED", Enforcement.message(grant.principal(), decision));
        return;
      }
    }
    if (manifest) {
      serveManifest(exchange, account, region, repository, request.group(3));
    } else {
      byte[] blob = blobs.get(blobKey(account, region, repository, request.group(3)));
      if (blob == null) {
        error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry");
        return;
      }
      send(exchange, 200, "application/octet-stream", blob, request.group(3));
    }
  }

  /** The grant of the request's Basic credentials, or null after answering 401 as ECR does. */
  private Grant grant(HttpExchange exchange, String host) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate",
          "Basic realm=\"https://" + host + "/\",service=\"ecr.amazonaws.com\"");
      error(exchange, 401, "DENIED", "Not Authorized");
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = "";
    }
    Grant grant = decoded.startsWith("AWS:") ? passwords.get(decoded.substring(4)) : null;
    if (grant == null) {
      error(exchange, 401, "DENIED", "Your authorization token is invalid.");
      return null;
    }
    if (!Instant.now().isBefore(grant.expires())) {
      error(exchange, 401, "DENIED", "Your authorization token has expired. Reauthenticate and try again.");
      return null;
    }
    return grant;
  }

  private void serveManifest(HttpExchange exchange, String account, String region, String repository,
      String reference) throws IOException {
    String imageId = reference.startsWith("sha256:")
        ? "{\"imageDigest\":" + Json.quote(reference) + "}" : "{\"imageTag\":" + Json.quote(reference) + "}";
    HttpResponse<byte[]> answer = ecr(account, region, "BatchGetImage", "{\"registryId\":\"" + account
        + "\",\"repositoryName\":" + Json.quote(repository) + ",\"imageIds\":[" + imageId + "]}");
    String body = new String(answer.body(), StandardCharsets.UTF_8);
    Matcher manifest = MANIFEST.matcher(body);
    if (answer.statusCode() != 200) {
      error(exchange, 404, "NAME_UNKNOWN", "The repository with name '" + repository + "' does not exist in the "
          + "registry with id '" + account + "'");
      return;
    }
    if (!manifest.find()) {
      error(exchange, 404, "MANIFEST_UNKNOWN", "Requested image not found");
      return;
    }
    byte[] bytes = unescape(manifest.group(1)).getBytes(StandardCharsets.UTF_8);
    Matcher mediaType = MEDIA_TYPE.matcher(body);
    send(exchange, 200, mediaType.find() ? mediaType.group(1) : MANIFEST_V2, bytes, digest(bytes));
  }

  /** An ECR API call to moto as the harness, in {@code account} (moto's account header), not through enforcement. */
  private HttpResponse<byte[]> ecr(String account, String region, String operation, String body) {
    HttpRequest request = HttpRequest.newBuilder(moto.get().resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation)
        .header("x-moto-account-id", account)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + region
            + "/ecr/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    send(exchange, status, "application/json; charset=utf-8",
        ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":" + Json.quote(message) + "}]}")
            .getBytes(StandardCharsets.UTF_8), null);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body, String digest)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
    if (digest != null) {
      exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
    }
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      exchange.getResponseBody().write(body);
    }
  }

  private static String blobKey(String account, String region, String repository, String digest) {
    return account + "/" + region + "/" + repository + "@" + digest;
  }

  static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A JSON string's content, unescaped (moto's answer holds the manifest as a JSON string). */
  private static String unescape(String json) {
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = json.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
