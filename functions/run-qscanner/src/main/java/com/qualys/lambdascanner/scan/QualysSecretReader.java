package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import javax.inject.Inject;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads the Qualys secret by the references Fetch Credentials validated: that exact version of the one secret
 * this function is configured for. A reference to any other secret is refused, so a forged state input cannot
 * make this function read (and hand qscanner) a secret it was not meant to.
 */
final class QualysSecretReader {

  private final SecretsManagerClient secrets;
  private final ObjectMapper mapper;
  private final Config config;

  @Inject
  QualysSecretReader(SecretsManagerClient secrets, JsonCodec json, Config config) {
    this.secrets = secrets;
    this.mapper = json.mapper();
    this.config = config;
  }

  QualysAuth read(CredentialRefs refs) {
    if (refs == null || refs.secretArn() == null) {
      throw new InvalidInputException("credentials.secretArn is missing");
    }
    if (!config.qualysSecretArn().equals(refs.secretArn())) {
      throw new InvalidInputException("credentials.secretArn is not the configured QUALYS_SECRET_ARN");
    }
    GetSecretValueResponse response;
    try {
      response =
          secrets.getSecretValue(
              r -> {
                r.secretId(refs.secretArn());
                if (refs.secretVersionId() != null) {
                  r.versionId(refs.secretVersionId());
                }
              });
    } catch (SecretsManagerException e) {
      int status = e.statusCode();
      if (status == 429 || status >= 500 || e.isThrottlingException()) {
        throw new RetryableException("Secrets Manager is unavailable (" + errorCode(e) + ")", e);
      }
      throw new TerminalException("cannot read the Qualys secret: " + errorCode(e));
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach Secrets Manager", e);
    }
    return parse(response.secretString());
  }

  private QualysAuth parse(String secretString) {
    if (secretString == null) {
      throw new TerminalException("the Qualys secret has no SecretString");
    }
    JsonNode node;
    try {
      node = mapper.readTree(secretString);
    } catch (JsonProcessingException e) {
      // Never the parser's message: it may quote the secret.
      throw new TerminalException("the Qualys secret is not a JSON object");
    }
    String token = text(node, "accessToken");
    if (token != null) {
      return new QualysAuth(token, null, null);
    }
    String clientId = text(node, "clientId");
    String clientSecret = text(node, "clientSecret");
    if (clientId != null && clientSecret != null) {
      return new QualysAuth(null, clientId, clientSecret);
    }
    throw new TerminalException("the Qualys secret holds neither accessToken nor clientId and clientSecret");
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  private static String errorCode(SecretsManagerException e) {
    return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
  }
}
