package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.emulator.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The real function code against moto's Secrets Manager, through the handler and the sample event. */
class FetchCredentialsIT {

  private static final String FAKE_TOKEN = "qualys-fake-token-7f3a9c1e5b2d4086";

  private static MotoServer moto;
  private static SecretsManagerClient secrets;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();

  @BeforeAll
  static void startEmulator() {
    moto = MotoServer.shared();
    secrets =
        SecretsManagerClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  static void closeClient() {
    secrets.close();
  }

  @Test
  void handleRequest_whenAccessTokenSecret_expectRefsWithoutToken() {
    var created = createSecret("{\"accessToken\": \"" + FAKE_TOKEN + "\", \"pod\": \"EU1\"}");

    String output = invoke(created.arn());

    CredentialRefs refs = json.read(
        new java.io.ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), CredentialRefs.class);
    assertThat(refs)
        .isEqualTo(new CredentialRefs(created.arn(), created.versionId(), "US1", AuthKind.ACCESS_TOKEN, null));
    assertThat(output).doesNotContain(FAKE_TOKEN);
    assertThat(logger.all()).contains(created.arn()).doesNotContain(FAKE_TOKEN);
  }

  @Test
  void handleRequest_whenClientCredentialsSecret_expectClientCredentialsWithoutSecret() {
    var created = createSecret("{\"clientId\": \"scanner-client\", \"clientSecret\": \"" + FAKE_TOKEN + "\"}");

    String output = invoke(created.arn());

    assertThat(output).contains("\"authKind\":\"CLIENT_CREDENTIALS\"").doesNotContain(FAKE_TOKEN);
    assertThat(logger.all()).doesNotContain(FAKE_TOKEN);
  }

  @Test
  void handleRequest_whenRotated_expectCurrentVersionId() {
    var created = createSecret("{\"accessToken\": \"old-token-value-0001\"}");
    String newVersion =
        secrets.putSecretValue(b -> b.secretId(created.arn()).secretString("{\"accessToken\": \"" + FAKE_TOKEN + "\"}"))
            .versionId();

    String output = invoke(created.arn());

    assertThat(output).contains(newVersion).doesNotContain(created.versionId());
  }

  @Test
  void handleRequest_whenSecretMissing_expectTerminalNamingSecret() {
    String missing =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-missing-" + UUID.randomUUID() + "-AbCdEf";

    assertThatThrownBy(() -> invoke(missing))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("not found");
  }

  @Test
  void handleRequest_whenBadJson_expectTerminalWithoutValue() {
    var created = createSecret("{\"accessToken\": \"" + FAKE_TOKEN + "\"");

    assertThatThrownBy(() -> invoke(created.arn()))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(created.arn())
        .hasMessageNotContaining(FAKE_TOKEN);
    assertThat(logger.all()).doesNotContain(FAKE_TOKEN);
  }

  @Test
  void handleRequest_whenJwtExpired_expectTokenExpired() {
    String expired = SecretFormatTest.jwt(Instant.now().minusSeconds(3600).getEpochSecond());
    var created = createSecret("{\"accessToken\": \"" + expired + "\"}");

    assertThatThrownBy(() -> invoke(created.arn()))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("token expired")
        .hasMessageNotContaining(expired);
    assertThat(logger.all()).doesNotContain(expired);
  }

  @Test
  void component_whenWiredWithEnvironment_expectWorkingService() {
    var created = createSecret(FAKE_TOKEN);
    // The SDK's default providers, as in Lambda; system properties stand in for the environment.
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
    FetchCredentials service =
        DaggerFetchCredentialsComponent.builder()
            .fetchCredentialsModule(
                new FetchCredentialsModule(
                    Env.of(Map.of("QUALYS_SECRET_ARN", created.arn(), "QUALYS_POD", "EU2"))))
            .build()
            .fetchCredentials();

    CredentialRefs refs = service.fetch(new FetchCredentialsRequest("scan-1", null));

    assertThat(refs.secretVersionId()).isEqualTo(created.versionId());
    assertThat(refs.pod()).isEqualTo("EU2");
  }

  private record Created(String arn, String versionId) {}

  private Created createSecret(String value) {
    var response =
        secrets.createSecret(b -> b.name("qualys-it-" + UUID.randomUUID()).secretString(value));
    return new Created(response.arn(), response.versionId());
  }

  private String invoke(String secretArn) {
    FetchCredentials service =
        new FetchCredentials(
            secrets,
            new FetchCredentialsConfig(secretArn, "US1"),
            json,
            new StructuredLog(json, logger),
            Clock.systemUTC());
    var handler = new FetchCredentialsHandler(service);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(sampleEvent())) {
      handler.handleRequest(in, out, null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static Path sampleEvent() {
    return Path.of(System.getProperty("project.root", "../.."), "events", "fetch-credentials", "request.json");
  }
}
