package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.regex.Pattern;

/**
 * @param secretArn the Qualys secret ({@code QUALYS_SECRET_ARN}), a full Secrets Manager ARN
 * @param pod the Qualys platform ({@code QUALYS_POD}, e.g. US1)
 */
public record FetchCredentialsConfig(String secretArn, String pod) {

  private static final Pattern SECRET_ARN =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:secret:"
              + "[A-Za-z0-9/_+=.@-]{1,512}");

  private static final Pattern POD = Pattern.compile("[A-Z]{2,4}[0-9]{1,2}");

  public static FetchCredentialsConfig from(Env env) {
    String arn = env.required("QUALYS_SECRET_ARN");
    if (!SECRET_ARN.matcher(arn).matches()) {
      throw new TerminalException("environment variable QUALYS_SECRET_ARN is not a Secrets Manager secret ARN");
    }
    String pod = env.required("QUALYS_POD").toUpperCase(java.util.Locale.ROOT);
    if (!POD.matcher(pod).matches()) {
      throw new TerminalException("environment variable QUALYS_POD is not a Qualys platform id such as US1");
    }
    return new FetchCredentialsConfig(arn, pod);
  }
}
