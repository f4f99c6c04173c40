package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.regex.Pattern;

/**
 * @param secretArn the Qualys secret ({@code QUALYS_SECRET_ARN}), a full Secrets Manager ARN
 * @param pod the Qualys platform ({@code QUALYS_POD}, e.g. US1)
 * @param region this function's own region ({@code AWS_REGION}); null in a local run without one
 * @param spokeRoleName the spoke role to assume in other accounts ({@code SPOKE_ROLE_NAME}); null in
 *     single-account mode
 * @param spokeExternalId the external id the spoke role's trust policy requires ({@code SPOKE_EXTERNAL_ID}); null
 *     in single-account mode
 */
public record FetchCredentialsConfig(
    String secretArn, String pod, String region, String spokeRoleName, String spokeExternalId) {

  private static final Pattern SECRET_ARN =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:secret:"
              + "[A-Za-z0-9/_+=.@-]{1,512}");

  private static final Pattern POD = Pattern.compile("[A-Z]{2,4}[0-9]{1,2}");

  /** IAM's role name characters; a path would change the ARN templates/spoke.yaml creates, so none is allowed. */
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

  /** STS's rules for ExternalId. */
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  /** Single-account mode, region unknown: what the function was before hub mode. */
  public FetchCredentialsConfig(String secretArn, String pod) {
    this(secretArn, pod, null, null, null);
  }

  public static FetchCredentialsConfig from(Env env) {
    String arn = env.required("QUALYS_SECRET_ARN");
    if (!SECRET_ARN.matcher(arn).matches()) {
      throw new TerminalException("environment variable QUALYS_SECRET_ARN is not a Secrets Manager secret ARN");
    }
    String pod = env.required("QUALYS_POD").toUpperCase(java.util.Locale.ROOT);
    if (!POD.matcher(pod).matches()) {
      throw new TerminalException("environment variable QUALYS_POD is not a Qualys platform id such as US1");
    }
    // Both are empty in single-account mode (the template sets them only with DeploymentMode=hub).
    String spokeRoleName = env.optional("SPOKE_ROLE_NAME", null);
    String spokeExternalId = null;
    if (spokeRoleName != null) {
      if (!ROLE_NAME.matcher(spokeRoleName).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_ROLE_NAME is not an IAM role name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -)");
      }
      spokeExternalId = env.optional("SPOKE_EXTERNAL_ID", null);
      // The spoke role's trust policy always requires the external id: without it every AssumeRole is denied.
      // The value is never echoed: it is configuration, but it should stay unguessable.
      if (spokeExternalId == null) {
        throw new TerminalException("environment variable SPOKE_EXTERNAL_ID is required when SPOKE_ROLE_NAME is set");
      }
      if (!EXTERNAL_ID.matcher(spokeExternalId).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_EXTERNAL_ID is not a valid external id"
                + " (2 to 1224 of A-Z a-z 0-9 + = , . @ : / _ -)");
      }
    }
    return new FetchCredentialsConfig(
        arn,
        pod,
        // Lambda always sets AWS_REGION; the fallback serves local runs.
        env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null)),
        spokeRoleName,
        spokeExternalId);
  }

  /** Hub mode: targets outside this account and region are read through the spoke role. */
  public boolean hubMode() {
    return spokeRoleName != null;
  }

  /** Never the external id: a config may end up in a message or a debugger. */
  @Override
  public String toString() {
    return "FetchCredentialsConfig[secretArn=" + secretArn + ", pod=" + pod + ", region=" + region
        + ", spokeRoleName=" + spokeRoleName + ", spokeExternalId=" + (spokeExternalId == null ? null : "***") + "]";
  }
}
