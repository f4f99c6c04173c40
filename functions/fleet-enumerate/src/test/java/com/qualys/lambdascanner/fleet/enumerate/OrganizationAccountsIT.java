package com.qualys.lambdascanner.fleet.enumerate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * What moto's Organizations cannot be made to answer: an empty page that still has a NextToken (AWS documents it),
 * throttling, entries a hostile or broken endpoint could send. A local HTTP endpoint answers scripted pages; the
 * requests it sees are the real signed ones.
 */
class OrganizationAccountsIT {

  private record Answer(int status, String errorType, String body) {}

  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<Map<String, String>> requests = new ArrayList<>();
  private HttpServer server;
  private OrganizationAccounts sut;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        requests.add(Map.of("target", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
            "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), "body", body));
      }
      Answer answer = answers.isEmpty() ? new Answer(500, "ServiceException", "{}") : answers.poll();
      if (answer.errorType() != null) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", answer.errorType());
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    sut = new OrganizationAccounts(UrlConnectionHttpClient.create(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example")),
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "us-east-1", new JsonCodec());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String account(String id, String state) {
    return "{\"Id\":\"" + id + "\",\"Name\":\"n\",\"State\":\"" + state + "\"}";
  }

  @Test
  void activeAccounts_whenAPageIsEmptyButHasANextToken_readsOnAndKeepsOnlyActiveValidAccounts() {
    answers.add(new Answer(200, null, "{\"Accounts\":[" + account("111111111111", "ACTIVE") + ","
        + account("222222222222", "SUSPENDED") + "],\"NextToken\":\"t1\"}"));
    answers.add(new Answer(200, null, "{\"Accounts\":[],\"NextToken\":\"t2\"}"));
    answers.add(new Answer(200, null, "{\"Accounts\":[" + account("../etc", "ACTIVE") + ","
        + "{\"Id\":\"333333333333\",\"Status\":\"ACTIVE\"}," + account("444444444444", "CLOSED") + "]}"));
    List<String> rejected = new ArrayList<>();

    List<String> active = sut.activeAccounts(rejected::add);

    assertThat(active).containsExactly("111111111111", "333333333333");
    assertThat(rejected).singleElement().asString().contains("12-digit");
    assertThat(requests).hasSize(3).allSatisfy(r -> {
      assertThat(r.get("target")).isEqualTo("AWSOrganizationsV20161128.ListAccounts");
      assertThat(r.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/us-east-1/organizations/aws4_request").doesNotContain("secret-example");
    });
    assertThat(requests.get(2).get("body")).contains("\"NextToken\":\"t2\"").contains("\"MaxResults\":20");
  }

  @Test
  void activeAccounts_whenThrottledOr5xx_isRetryable() {
    answers.add(new Answer(400, "TooManyRequestsException", "{\"Message\":\"slow down\"}"));
    assertThatThrownBy(() -> sut.activeAccounts(r -> {})).isInstanceOf(RetryableException.class)
        .hasMessageContaining("TooManyRequestsException");
    answers.add(new Answer(503, null, "not json"));
    assertThatThrownBy(() -> sut.activeAccounts(r -> {})).isInstanceOf(RetryableException.class)
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void activeAccounts_whenNotInAnOrganizationOrAnswerIsNotListAccounts_isTerminalWithTheReason() {
    answers.add(new Answer(400, null, "{\"__type\":\"AWSOrganizationsNotInUseException\",\"Message\":\"x\"}"));
    assertThatThrownBy(() -> sut.activeAccounts(r -> {})).isInstanceOf(TerminalException.class)
        .hasMessageContaining("AWSOrganizationsNotInUseException");
    answers.add(new Answer(200, null, "[1, 2]"));
    assertThatThrownBy(() -> sut.activeAccounts(r -> {})).isInstanceOf(TerminalException.class);
    answers.add(new Answer(200, null, "{\"Accounts\":[],\"NextToken\":\"bad token\\n\"}"));
    assertThatThrownBy(() -> sut.activeAccounts(r -> {})).isInstanceOf(TerminalException.class)
        .hasMessageContaining("NextToken");
  }

  @Test
  void endpointFor_partitionsAndTheSdkOverrideVariables() {
    assertThat(OrganizationAccounts.endpointFor("eu-west-1", Map.of()))
        .isEqualTo(Map.entry(URI.create("https://organizations.us-east-1.amazonaws.com"), "us-east-1"));
    assertThat(OrganizationAccounts.endpointFor("us-gov-east-1", Map.of()))
        .isEqualTo(Map.entry(URI.create("https://organizations.us-gov-west-1.amazonaws.com"), "us-gov-west-1"));
    assertThat(OrganizationAccounts.endpointFor("cn-north-1", Map.of()))
        .isEqualTo(Map.entry(URI.create("https://organizations.cn-northwest-1.amazonaws.com.cn"), "cn-northwest-1"));
    assertThat(OrganizationAccounts.endpointFor("eu-west-1", Map.of("AWS_ENDPOINT_URL", "http://localhost:5000")))
        .isEqualTo(Map.entry(URI.create("http://localhost:5000"), "us-east-1"));
  }
}
