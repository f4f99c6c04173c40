package com.qualys.lambdascanner.spoke;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.regex.Pattern;

/**
 * The two hub-mode settings, validated once for every function that reads targets. Both are empty in
 * single-account mode: the template sets them only with {@code DeploymentMode=hub}.
 *
 * @param roleName {@code SPOKE_ROLE_NAME}: the role templates/spoke.yaml creates in every spoke account; null in
 *     single-account mode
 * @param externalId {@code SPOKE_EXTERNAL_ID}: the external id that role's trust policy requires; null in
 *     single-account mode (it is not even read there)
 */
public record SpokeSettings(String roleName, String externalId) {

  public static final SpokeSettings SINGLE_ACCOUNT = new SpokeSettings(null, null);

  /** IAM's rule for a role name. No path: it would change the ARN templates/spoke.yaml creates. */
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

  /** STS's rule for ExternalId. */
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  /** Validates here, so no function can hold settings that would send STS a malformed request. */
  public SpokeSettings {
    roleName = roleName == null || roleName.isEmpty() ? null : roleName;
    externalId = roleName == null || externalId == null || externalId.isEmpty() ? null : externalId;
    if (roleName != null) {
      if (!ROLE_NAME.matcher(roleName).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_ROLE_NAME is not an IAM role name without path"
                + " (1 to 64 of A-Z a-z 0-9 + = , . @ _ -)");
      }
      // The spoke role's trust policy always requires the external id: without it every AssumeRole is denied.
      if (externalId == null) {
        throw new TerminalException("environment variable SPOKE_EXTERNAL_ID is required when SPOKE_ROLE_NAME is set");
      }
      // The value is never echoed: it is configuration, but it should stay unguessable.
      if (!EXTERNAL_ID.matcher(externalId).matches()) {
        throw new TerminalException(
            "environment variable SPOKE_EXTERNAL_ID is not a valid external id"
                + " (2 to 1224 of A-Z a-z 0-9 + = , . @ : / _ -)");
      }
    }
  }

  public static SpokeSettings from(Env env) {
    return new SpokeSettings(env.optional("SPOKE_ROLE_NAME", null), env.optional("SPOKE_EXTERNAL_ID", null));
  }

  /** Hub mode: targets outside the function's own account and region are read through the spoke role. */
  public boolean hubMode() {
    return roleName != null;
  }

  /** Never the external id: settings may end up in a message or a debugger. */
  @Override
  public String toString() {
    return "SpokeSettings[roleName=" + roleName + ", externalId=" + (externalId == null ? null : "***") + "]";
  }
}
