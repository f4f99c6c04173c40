package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A moto server on a free loopback port, with Step Functions' ASL interpreter switched on. moto's interpreter
 * sends its Lambda Invoke calls to {@code http://localhost:$MOTO_PORT}: pass the port of a {@link LocalLambda}
 * as {@code lambdaPort} and the state machine runs the real functions; pass 0 when no state machine runs.
 *
 * <p>The command is {@code moto_server} on the PATH, or the system property {@code moto.server} (the Makefile
 * sets it to the virtualenv it prepared).
 */
public final class MotoServer implements AutoCloseable {

  private static MotoServer shared;

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * One server per test JVM, started on first use and stopped when the JVM exits. Tests that share it keep
   * apart by using their own bucket, topic and function names.
   */
  public static synchronized MotoServer shared() {
    if (shared == null) {
      shared = start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  public static MotoServer start(int lambdaPort) {
    int port = freePort();
    String command = System.getProperty("moto.server", "moto_server");
    try {
      Path log = Files.createTempFile("moto-server-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(List.of(command, "-H", "127.0.0.1", "-p", Integer.toString(port)))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("MOTO_PORT", Integer.toString(lambdaPort == 0 ? port : lambdaPort));
      if (lambdaPort != 0) {
        // Where moto's patches ask whether a service may act as itself (moto-patches/service_principals.py).
        env.put("LOCAL_SERVICE_REQUESTS", "http://127.0.0.1:" + lambdaPort + ServiceRequests.PATH);
      }
      // AWS managed policies (AdministratorAccess...) exist in every account, as on AWS: a target function's role
      // can attach them and Resolve Target's exposure facts read them. About a second per account, once.
      env.put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
      // Two fixes to moto's Step Functions interpreter, loaded at its start (see moto-patches/sitecustomize.py).
      Path patches = MotoPatches.extract();
      String pythonPath = env.get("PYTHONPATH");
      env.put("PYTHONPATH", pythonPath == null || pythonPath.isBlank()
          ? patches.toString()
          : patches + java.io.File.pathSeparator + pythonPath);
      MotoServer server = new MotoServer(builder.start(), port, log);
      server.awaitReady(Duration.ofSeconds(60));
      server.enableStateMachineExecution();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start " + command + " (install moto[server] 5.2, or run through make test)", e);
    }
  }

  /** The endpoint to give SDK clients: an IP address, so the S3 client uses path-style requests. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** moto's own log, for a test that wants to show why something failed. */
  public Path log() {
    return log;
  }

  /** Forgets every resource in every account and region, and switches ASL execution back on. */
  public void reset() {
    post("/moto-api/reset", "");
    enableStateMachineExecution();
  }

  /**
   * Creates a role Lambda may assume and returns its ARN: moto creates a function only for an existing role. IAM's
   * query API by hand, so no test carries the IAM SDK for one call; moto picks the service from the credential
   * scope, the account from the access key (a key from sts:AssumeRole acts in the role's account), and checks no
   * signature.
   *
   * @param accessKeyId {@code testing} for moto's default account, or an assumed role's key for another
   * @param account the account that key acts in (it names the ARN returned)
   */
  public String createLambdaRole(String name, String accessKeyId, String account) {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    String body = "Action=CreateRole&Version=2010-05-08&RoleName=" + name + "&AssumeRolePolicyDocument="
        + java.net.URLEncoder.encode(policy, java.nio.charset.StandardCharsets.UTF_8);
    harnessRequest(accessKeyId, "us-east-1", "iam", HttpRequest.newBuilder(endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    return "arn:aws:iam::" + account + ":role/" + name;
  }

  /**
   * Security Hub's GetFindings (every finding moto holds for that account and region, as JSON), for tests to assert
   * on: the SDK's securityhub module is not served at the project's SDK version. By hand as
   * {@link #createLambdaRole}: the account from the access key (an assumed role's key acts in the role's account).
   */
  public String securityHubFindings(String accessKeyId, String region) {
    return harnessRequest(accessKeyId, region, "securityhub", HttpRequest.newBuilder(endpoint().resolve("/findings"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  /**
   * A request of the harness (whoever deploys and seeds the scenario) straight to moto, signed as moto reads it: the
   * service from the credential scope, the account from {@code accessKeyId}; moto checks no signature. Returns the
   * body of a 2xx answer; any other fails, naming it.
   */
  public String harnessRequest(String accessKeyId, String region, String service, HttpRequest.Builder request) {
    request.header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20260101/" + region + "/"
        + service + "/aws4_request, SignedHeaders=host, Signature=0");
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(service + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void enableStateMachineExecution() {
    post("/moto-api/config", "{\"stepfunctions\": {\"execute_state_machine\": true}}");
  }

  private void post(String path, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(endpoint().resolve(path))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("moto " + path + " answered " + response.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Duration limit) throws IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("moto_server exited: " + tail());
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      sleep(100);
    }
    close();
    throw new IOException("moto_server did not answer within " + limit + ": " + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
