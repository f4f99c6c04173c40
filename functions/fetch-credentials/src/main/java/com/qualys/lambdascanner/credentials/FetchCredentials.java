package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads the Qualys secret's current version once, checks it can authenticate, and hands on where it is: the
 * ARN and the exact version validated (so Run QScanner reads that version, not one rotated in between), the
 * pod and the kind of credentials. The value stays in this function's memory for the duration of the call.
 *
 * <p>One GetSecretValue call is enough: it returns the version id of AWSCURRENT and fails for a missing,
 * deleted or unreadable secret, which is all DescribeSecret would add.
 *
 * <p>A target outside this function's account and region needs the spoke role in hub mode: {@link SpokeRoleCheck}
 * checks it can be assumed, before the secret is read (a refused target costs no Secrets Manager call), and its
 * ARN goes on in {@code roleArn}; the assumed credentials never leave {@link SpokeRoleCheck}.
 */
@Singleton
public final class FetchCredentials {

  /** Warn when the token may not outlive a scan (Lambda's 15 minutes). */
  private static final Duration EXPIRY_WARNING = Duration.ofMinutes(15);

  private final SecretsManagerClient secrets;
  private final SpokeRoleCheck spokes;
  private final FetchCredentialsConfig config;
  private final StructuredLog log;
  private final SecretFormat format;
  private final Clock clock;

  @Inject
  public FetchCredentials(
      SecretsManagerClient secrets,
      SpokeRoleCheck spokes,
      FetchCredentialsConfig config,
      JsonCodec json,
      StructuredLog log,
      Clock clock) {
    this.secrets = secrets;
    this.spokes = spokes;
    this.config = config;
    this.log = log;
    this.format = new SecretFormat(json.mapper());
    this.clock = clock;
  }

  public CredentialRefs fetch(FetchCredentialsRequest request) {
    String scanId = request.scanId();
    String roleArn = spokes.roleArnFor(scanId, request.target());
    String arn = config.secretArn();
    GetSecretValueResponse secret = read(arn);
    SecretFormat.Validated validated = format.validate(arn, secret.secretString(), clock.instant());

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("secretArn", arn);
    fields.put("secretVersionId", secret.versionId());
    fields.put("authKind", validated.authKind().name());
    fields.put("pod", config.pod());
    if (roleArn != null) {
      fields.put("roleArn", roleArn);
    }
    if (validated.expiresAt() != null) {
      fields.put("tokenExpiresAt", validated.expiresAt().toString());
      if (validated.expiresAt().isBefore(clock.instant().plus(EXPIRY_WARNING))) {
        log.warn("Qualys access token expires soon; rotate the secret", scanId, fields);
      }
    }
    log.info("Qualys credentials validated", scanId, fields);
    return new CredentialRefs(
        secret.arn() == null ? arn : secret.arn(),
        secret.versionId(),
        config.pod(),
        validated.authKind(),
        // Null for a target in this account and region: the scan runs with the pipeline's own role.
        roleArn);
  }

  private GetSecretValueResponse read(String arn) {
    try {
      return secrets.getSecretValue(b -> b.secretId(arn).versionStage("AWSCURRENT"));
    } catch (SecretsManagerException e) {
      throw classify(arn, e);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach Secrets Manager to read secret " + arn, e);
    }
  }

  /** Which failures can heal by themselves. Messages name the secret, and carry the service's error code. */
  static RuntimeException classify(String arn, SecretsManagerException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    int status = e.statusCode();
    if (e.isThrottlingException() || status >= 500 || "InternalServiceError".equals(code)) {
      return new RetryableException("Secrets Manager is unavailable reading secret " + arn + " (" + code + ")");
    }
    String why =
        switch (code == null ? "" : code) {
          case "ResourceNotFoundException" -> "not found (or it has no AWSCURRENT version)";
          case "AccessDeniedException", "AccessDenied" -> "not readable: no permission (secretsmanager:GetSecretValue)";
          case "DecryptionFailure" -> "not decryptable: no permission on its KMS key";
          case "InvalidRequestException" -> "not readable now (deleted or scheduled for deletion?)";
          default -> "not readable (" + code + ", HTTP " + status + ")";
        };
    return new TerminalException("secret " + arn + " is " + why);
  }
}
