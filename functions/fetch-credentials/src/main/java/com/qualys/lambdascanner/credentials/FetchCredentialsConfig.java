package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeSettings;
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
    SpokeSettings spoke = SpokeSettings.from(env);
    return new FetchCredentialsConfig(
        arn,
        pod,
        // Lambda always sets AWS_REGION; the fallback serves local runs.
        env.optional("AWS_REGION", env.optional("AWS_DEFAULT_REGION", null)),
        spoke.roleName(),
        spoke.externalId());
  }

  /** Hub mode: targets outside this account and region are read through the spoke role. */
  public boolean hubMode() {
    return spokeRoleName != null;
  }

  /** The spoke settings, validated (SpokeSettings checks them whichever constructor made this config). */
  public SpokeSettings spoke() {
    return new SpokeSettings(spokeRoleName, spokeExternalId);
  }

  /** Never the external id: a config may end up in a message or a debugger. */
  @Override
  public String toString() {
    return "FetchCredentialsConfig[secretArn=" + secretArn + ", pod=" + pod + ", region=" + region
        + ", spokeRoleName=" + spokeRoleName + ", spokeExternalId=" + (spokeExternalId == null ? null : "***") + "]";
  }
}
