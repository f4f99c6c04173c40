package com.qualys.lambdascanner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.emulator.testfn.ProbeHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LocalLambda with the real Runtime Interface Client and a probe function packaged as a Lambda zip. */
class LocalLambdaIT {

  private static final String HANDLER = ProbeHandler.class.getName() + "::handleRequest";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LocalLambda sut;
  private static HttpServer upstream;
  private static final AtomicReference<String> forwarded = new AtomicReference<>();
  private static Path zip;

  @BeforeAll
  static void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    upstream.createContext("/", exchange -> {
      try (exchange) {
        String seen = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
            + exchange.getRequestHeaders().getFirst("X-Probe") + " "
            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        forwarded.set(seen);
        byte[] body = "<ok/>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("X-Upstream", "moto");
        exchange.sendResponseHeaders(201, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    upstream.start();
    zip = packageProbe();
    sut = LocalLambda.start().forwardTo(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
    sut.register(LambdaFunction.of("probe", HANDLER, zip)
        .withEnvironment(Map.of("PROBE_VAR", "from-template"))
        .withTimeoutSeconds(4)
        .withMemorySize(256)
        .withMaxConcurrency(3));
    sut.register(LambdaFunction.of("missing-class", "com.example.Nope::handleRequest", zip));
    sut.warm("probe");
  }

  @Test
  void invoke_whenRuntimesStart_expectationNoneWritesTheSharedJniPath() throws Exception {
    // Left alone, every RIC rewrites /tmp/.libaws-lambda-jni.so at start; runtimes starting at once then crash
    // with SIGBUS while another rewrites the file they map. Each must load the library unpacked once for all.
    Path shared = Path.of("/tmp/.libaws-lambda-jni.so");
    Files.deleteIfExists(shared);
    sut.register(LambdaFunction.of("probe-jni", HANDLER, zip).withTimeoutSeconds(10).withMaxConcurrency(3));

    List<CompletableFuture<InvokeResult>> calls = Stream.generate(() -> CompletableFuture.supplyAsync(
        () -> sut.invoke("probe-jni", "{\"echo\": \"jni\"}"))).limit(3).toList();

    assertThat(calls).allSatisfy(call -> assertThat(call.get().succeeded()).as(call.get().toString()).isTrue());
    assertThat(shared).doesNotExist();
  }

  @AfterAll
  static void stop() {
    if (sut != null) {
      sut.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void invoke_whenHandlerReturns_expectationPayloadAndLambdaEnvironment() {
    InvokeResult result = sut.invoke("probe", "{\"action\":\"echo\"}");

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    String body = result.payloadText();
    assertThat(body).contains("\"input\":{\"action\":\"echo\"}");
    assertThat(field(body, "functionName")).isEqualTo("probe");
    assertThat(field(body, "functionArn")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:probe");
    assertThat(field(body, "requestId")).isEqualTo(result.requestId());
    assertThat(field(body, "probeVar")).isEqualTo("from-template");
    assertThat(field(body, "region")).isEqualTo("us-east-1");
    // The functions call AWS through LocalLambda (which forwards to moto), so faults can be injected there.
    assertThat(field(body, "endpoint")).isEqualTo(sut.endpoint().toString());
    assertThat(field(body, "memory")).isEqualTo("256");
    assertThat(Long.parseLong(field(body, "remainingMillis"))).isBetween(1L, 4_000L);
    // Lambda's layout: the package unpacked as the working directory and LAMBDA_TASK_ROOT, a private HOME.
    assertThat(field(body, "cwd")).isEqualTo(field(body, "taskRoot"));
    assertThat(Path.of(field(body, "taskRoot")).resolve("com/qualys/lambdascanner/emulator/testfn/ProbeHandler.class"))
        .exists();
    assertThat(field(body, "home")).startsWith(sut.workDir().toString());
    // The function's classes are not on the JVM class path: the RIC loads them from the task root.
    assertThat(field(body, "classPath")).contains("aws-lambda-java-runtime-interface-client").doesNotContain("testfn")
        .doesNotContain("test-classes");
    // The environment is built from scratch: nothing of Maven's or the shell's but PATH.
    assertThat(List.of(field(body, "envNames").split(",")))
        .contains("AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "TZ", "AWS_LAMBDA_LOG_FORMAT")
        .doesNotContain("MAVEN_OPTS", "JAVA_HOME", "MAVEN_PROJECTBASEDIR", "PWD", "OLDPWD", "USER");
  }

  @Test
  void invoke_whenOnDemand_expectationLambdasJvmFlagsWithCompilationStoppedAtC1() {
    String flags = field(sut.invoke("probe", "{}").payloadText(), "jvmFlags");

    assertThat(List.of(flags.split(" ")))
        .contains("-XX:MaxHeapSize=217m", "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
  }

  @Test
  void invoke_whenSnapStart_expectationDefaultTieredCompilationAsLambdaJava25KeepsIt() {
    sut.register(LambdaFunction.of("probe-snap", HANDLER, zip)
        .withEnvironment(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")));

    InvokeResult result = sut.invoke("probe-snap", "{}");

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(List.of(field(result.payloadText(), "jvmFlags").split(" ")))
        .contains("-XX:+UseSerialGC")
        .noneMatch(flag -> flag.startsWith("-XX:TieredStopAtLevel"));
  }

  @Test
  void invoke_whenRuntimeIsIdle_expectationSameWarmRuntimeReused() {
    InvokeResult first = sut.invoke("probe", "{}");
    InvokeResult second = sut.invoke("probe", "{}");

    assertThat(field(second.payloadText(), "pid")).isEqualTo(field(first.payloadText(), "pid"));
    assertThat(Integer.parseInt(field(second.payloadText(), "invocations")))
        .isEqualTo(Integer.parseInt(field(first.payloadText(), "invocations")) + 1);
  }

  @Test
  void invoke_whenAllRuntimesBusy_expectationAnotherRuntimeStarts() {
    CompletableFuture<InvokeResult> slow =
        CompletableFuture.supplyAsync(() -> sut.invoke("probe", "{\"action\":\"sleep\",\"millis\":1500}"));
    CompletableFuture<InvokeResult> other =
        CompletableFuture.supplyAsync(() -> sut.invoke("probe", "{\"action\":\"sleep\",\"millis\":1500}"));

    String a = field(slow.join().payloadText(), "pid");
    String b = field(other.join().payloadText(), "pid");

    assertThat(a).isNotEqualTo(b);
    assertThat(sut.runtimeCount("probe")).isBetween(2, 3);
  }

  @Test
  void post_whenHandlerThrows_expectationUnhandledFunctionErrorWithLambdaErrorDocument() throws Exception {
    HttpResponse<String> response = post("probe", "{\"action\":\"fail\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
    assertThat(response.body())
        .contains("\"errorType\":\"java.lang.IllegalStateException\"")
        .contains("\"errorMessage\":\"asked to fail\"")
        .contains("\"stackTrace\"");
  }

  @Test
  void post_whenNamedByUrlEncodedArnWithAlias_expectationSameFunction() throws Exception {
    String arn = "arn:aws:lambda:us-east-1:123456789012:function:probe:live";

    HttpResponse<String> response = post(URLEncoder.encode(arn, StandardCharsets.UTF_8), "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
    assertThat(field(response.body(), "functionArn")).isEqualTo(arn);
  }

  @Test
  void post_whenFunctionUnknown_expectation404ResourceNotFound() throws Exception {
    HttpResponse<String> response = post("no-such-function", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    assertThat(response.body()).contains("Function not found").contains("no-such-function");
  }

  @Test
  void post_whenFaultInjected_expectationServiceErrorThenNormalRun() throws Exception {
    sut.failNext("probe", 1, "ServiceException");

    HttpResponse<String> refused = post("probe", "{}");
    HttpResponse<String> served = post("probe", "{}");

    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceException");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("X-Amz-Function-Error")).isEmpty();
  }

  @Test
  void invoke_whenFunctionTimesOut_expectationSandboxTimedoutAndProcessTreeKilled() throws Exception {
    InvokeResult result = sut.invoke("probe", "{\"action\":\"spawn\",\"millis\":60000}");

    assertThat(result.functionError()).isEqualTo("Unhandled");
    assertThat(result.payloadText())
        .contains("\"errorType\":\"Sandbox.Timedout\"")
        .contains("Task timed out after 4.00 seconds");
    Matcher child = Pattern.compile("\"childPid\":(\\d+)").matcher(Files.readString(sut.logFile("probe")));
    assertThat(child.find()).as("the probe logged the pid of its child").isTrue();
    long childPid = Long.parseLong(child.group(1));
    while (child.find()) {
      childPid = Long.parseLong(child.group(1));
    }
    assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).as("child " + childPid).isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(sut.invoke("probe", "{}").succeeded()).as("a fresh runtime serves the next call").isTrue();
  }

  @Test
  void invoke_whenRuntimeExits_expectationExitErrorThenFreshRuntime() {
    InvokeResult result = sut.invoke("probe", "{\"action\":\"exit\"}");

    assertThat(result.functionError()).isEqualTo("Unhandled");
    assertThat(result.payloadText()).contains("Runtime.ExitError").contains("exit status 3");
    assertThat(sut.invoke("probe", "{}").succeeded()).isTrue();
  }

  @Test
  void invoke_whenHandlerClassMissing_expectationInitErrorFromRuntime() {
    InvokeResult result = sut.invoke("missing-class", "{}");

    assertThat(result.functionError()).isEqualTo("Unhandled");
    assertThat(result.payloadText()).contains("ClassNotFoundException").contains("com.example.Nope");
  }

  @Test
  void invoke_whenFunctionLogs_expectationLinesInItsLogFileBetweenPlatformLines() throws Exception {
    InvokeResult result = sut.invoke("probe", "{\"action\":\"log\"}");

    String log = Files.readString(sut.logFile("probe"));
    assertThat(log).contains("probe says hello")
        .contains("\"type\":\"platform.start\",\"record\":{\"requestId\":\"" + result.requestId() + "\"")
        .contains("\"type\":\"platform.report\",\"record\":{\"requestId\":\"" + result.requestId() + "\"");
  }

  @Test
  void request_whenNotAnInvoke_expectationForwardedUnchanged() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(sut.endpoint().resolve("/some-bucket/key?versionId=7"))
            .header("X-Probe", "kept")
            .PUT(HttpRequest.BodyPublishers.ofString("payload"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("X-Upstream")).hasValue("moto");
    assertThat(response.body()).isEqualTo("<ok/>");
    assertThat(forwarded.get()).isEqualTo("PUT /some-bucket/key?versionId=7 kept payload");
  }

  @Test
  void request_whenServiceFaultInjected_expectationServiceErrorThenForwarded() throws Exception {
    sut.failService("s3", "/faulty-bucket/", 1, "SlowDown");
    sut.failService("sns", 1);

    HttpResponse<String> s3 = HTTP.send(signed("/faulty-bucket/key", "s3", "x"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> sns = HTTP.send(signed("/", "sns", "Action=Publish"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> again = HTTP.send(signed("/faulty-bucket/key", "s3", "x"), HttpResponse.BodyHandlers.ofString());

    assertThat(s3.statusCode()).isEqualTo(503);
    assertThat(s3.body()).contains("<Code>SlowDown</Code>");
    assertThat(sns.statusCode()).isEqualTo(500);
    assertThat(sns.body()).contains("<Code>InternalError</Code>").contains("<Type>Receiver</Type>");
    assertThat(again.statusCode()).as("one fault only").isEqualTo(201);
    assertThat(sut.injectedFaults("s3")).isEqualTo(1);
    assertThat(sut.injectedFaults("sns")).isEqualTo(1);
  }

  @Test
  void request_whenAssumeRoleOfDeniedRole_expectationAccessDenied() throws Exception {
    String role = "arn:aws:iam::210987654321:role/missing-spoke-role";
    sut.denyAssumeRole(role);

    HttpResponse<String> response = HTTP.send(signed("/", "sts",
        "Action=AssumeRole&Version=2011-06-15&RoleArn=" + java.net.URLEncoder.encode(role, StandardCharsets.UTF_8)
            + "&RoleSessionName=s"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("<Code>AccessDenied</Code>").contains(role);
    assertThat(sut.assumeRoleCalls(role)).isEqualTo(1);
  }

  private static HttpRequest signed(String path, String service, String body) {
    return HttpRequest.newBuilder(sut.endpoint().resolve(path))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261127/us-east-1/" + service
            + "/aws4_request, SignedHeaders=host, Signature=0")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  @Test
  void close_whenRuntimesRunning_expectationNoProcessLeft() {
    LocalLambda own = LocalLambda.start();
    List<Long> pids;
    try {
      own.register(LambdaFunction.of("short-lived", HANDLER, zip));
      assertThat(own.invoke("short-lived", "{}").succeeded()).isTrue();
      pids = own.runtimePids("short-lived");
    } finally {
      own.close();
    }

    assertThat(pids).hasSize(1).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("runtime " + pid).isEmpty());
  }

  private static HttpResponse<String> post(String function, String body) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(sut.endpoint().resolve("/2015-03-31/functions/" + function + "/invocations"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":(?:\"([^\"]*)\"|([^,}]*))").matcher(json);
    assertThat(matcher.find()).as(name + " in " + json).isTrue();
    return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
  }

  /** The probe's classes alone, at the root of a zip: a deployment package like the real ones. */
  static Path packageProbe() throws IOException, URISyntaxException {
    Path classes = Path.of(ProbeHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path folder = classes.resolve("com/qualys/lambdascanner/emulator/testfn");
    Path out = Files.createTempFile("probe-", ".zip");
    try (OutputStream file = Files.newOutputStream(out);
        ZipOutputStream zipOut = new ZipOutputStream(file);
        Stream<Path> files = Files.list(folder)) {
      for (Path classFile : files.toList()) {
        zipOut.putNextEntry(new ZipEntry(classes.relativize(classFile).toString()));
        Files.copy(classFile, zipOut);
        zipOut.closeEntry();
      }
    }
    return out;
  }
}
