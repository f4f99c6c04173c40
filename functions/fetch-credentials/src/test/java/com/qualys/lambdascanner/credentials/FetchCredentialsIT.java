package com.qualys.lambdascanner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.testing.CapturingLogger;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The real function code against moto's Secrets Manager and STS as its own role (the stack's IAM enforced, hub mode),
 * through the handler and the sample event.
 */
class FetchCredentialsIT {

  private static final String FAKE_TOKEN = "qualys-fake-token-7f3a9c1e5b2d4086";

  /** moto's default account, the sample event's target account. */
  private static final String OWN_ACCOUNT = "123456789012";

  private static final String SPOKE_ACCOUNT = "210987654321";
  private static final String SPOKE_ROLE = "qualys-it-spoke";
  private static final String EXTERNAL_ID = "it-external-id-5c3e1a";

  /** Hub mode with one spoke (its role trusting this stack's roles), so both kinds of target are tested as deployed. */
  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack()
      .hub(SPOKE_ROLE, EXTERNAL_ID, SPOKE_ACCOUNT)
      .qualysSecret()
      .build();

  /** Fetch Credentials' own: sessions of its role. */
  private static SecretsManagerClient functionSecrets;
  private static StsClient sts;

  private final JsonCodec json = new JsonCodec();
  private final CapturingLogger logger = new CapturingLogger();

  @BeforeAll
  static void clients() {
    functionSecrets = AWS.client(SecretsManagerClient.builder(), "FetchCredentialsFunctionRole");
    sts = AWS.client(StsClient.builder(), "FetchCredentialsFunctionRole");
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
    String newVersion = createSecret("{\"accessToken\": \"" + FAKE_TOKEN + "\"}").versionId();

    String output = invoke(created.arn());

    assertThat(output).contains(newVersion).doesNotContain(created.versionId());
  }

  @Test
  void handleRequest_whenSecretMissing_expectTerminalNamingSecret() {
    // Its role may read the stack's secret only: any other is refused, as Secrets Manager refuses it, and named.
    String missing =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:qualys-missing-" + UUID.randomUUID() + "-AbCdEf";

    assertThatThrownBy(() -> invoke(missing))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("no permission (secretsmanager:GetSecretValue)");
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
    AWS.actAsDefault("FetchCredentialsFunctionRole");
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

  @Test
  void handleRequest_whenSpokeTargetInHubMode_expectSpokeRoleArnAndNoCredentialValue() {
    var created = createSecret("{\"accessToken\": \"" + FAKE_TOKEN + "\"}");
    String roleName = SPOKE_ROLE;
    RecordingSts recording = new RecordingSts();

    String output = invoke(hubConfig(created.arn(), roleName), recording, spokeEvent());

    CredentialRefs refs = json.read(
        new java.io.ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), CredentialRefs.class);
    assertThat(refs.roleArn()).isEqualTo("arn:aws:iam::" + SPOKE_ACCOUNT + ":role/" + roleName);
    assertThat(recording.requests).singleElement().satisfies(r -> {
      assertThat(r.externalId()).isEqualTo(EXTERNAL_ID);
      assertThat(r.roleSessionName()).isEqualTo("3f1c9a52-7d4e-4b8a-9e21-6c0d5f8b2a17");
    });
    Credentials issued = recording.issued.getFirst();
    assertThat(issued.secretAccessKey()).isNotBlank();
    for (String value : List.of(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken(), FAKE_TOKEN)) {
      assertThat(output).doesNotContain(value);
      assertThat(logger.all()).doesNotContain(value);
    }
    assertThat(logger.all()).contains(refs.roleArn()).doesNotContain(EXTERNAL_ID);
  }

  @Test
  void handleRequest_whenOwnTargetInHubMode_expectNoRoleArnAndNoAssumeRole() {
    var created = createSecret(FAKE_TOKEN);
    RecordingSts recording = new RecordingSts();

    String output = invoke(hubConfig(created.arn(), SPOKE_ROLE), recording, sampleEventText());

    CredentialRefs refs = json.read(
        new java.io.ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), CredentialRefs.class);
    assertThat(refs.roleArn()).isNull();
    assertThat(refs.secretVersionId()).isEqualTo(created.versionId());
    assertThat(recording.requests).isEmpty();
  }

  @Test
  void handleRequest_whenSpokeTargetInSingleMode_expectTerminal() {
    var created = createSecret(FAKE_TOKEN);

    assertThatThrownBy(() -> invoke(new FetchCredentialsConfig(created.arn(), "US1"), sts, spokeEvent()))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("cross-account target arn:aws:lambda:us-east-1:" + SPOKE_ACCOUNT)
        .hasMessageContaining("but SPOKE_ROLE_NAME is not set (single-account mode)");
  }

  /** The stack's secret, now holding {@code value} (a new AWSCURRENT version). */
  private EnforcedAws.SecretVersion createSecret(String value) {
    return AWS.qualysSecret(value);
  }

  private String invoke(String secretArn) {
    return invoke(new FetchCredentialsConfig(secretArn, "US1"), sts, sampleEventText());
  }

  private String invoke(FetchCredentialsConfig config, StsClient stsClient, String event) {
    StructuredLog log = new StructuredLog(json, logger);
    FetchCredentials service =
        new FetchCredentials(
            functionSecrets, new SpokeRoleCheck(stsClient, config, log), config, json, log, Clock.systemUTC());
    var handler = new FetchCredentialsHandler(service);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The sample event with its target (function, layer) moved to another account. */
  private static String spokeEvent() {
    String event = sampleEventText();
    assertThat(event).contains(OWN_ACCOUNT);
    return event.replace(OWN_ACCOUNT, SPOKE_ACCOUNT);
  }

  private static String sampleEventText() {
    try (InputStream in = Files.newInputStream(sampleEvent())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static FetchCredentialsConfig hubConfig(String secretArn, String roleName) {
    return new FetchCredentialsConfig(secretArn, "US1", "us-east-1", roleName, EXTERNAL_ID);
  }

  /** moto's STS, keeping what AssumeRole answered so a test knows which values must not show. */
  private static final class RecordingSts implements StsClient {
    final List<AssumeRoleRequest> requests = new ArrayList<>();
    final List<Credentials> issued = new ArrayList<>();

    @Override
    public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
      requests.add(request);
      AssumeRoleResponse response = sts.assumeRole(request);
      issued.add(response.credentials());
      return response;
    }

    @Override
    public software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse getCallerIdentity(
        software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest request) {
      return sts.getCallerIdentity(request);
    }

    @Override
    public String serviceName() {
      return "sts";
    }

    @Override
    public void close() {}
  }

  static Path sampleEvent() {
    return Path.of(System.getProperty("project.root", "../.."), "events", "fetch-credentials", "request.json");
  }
}
