package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Lambda pulls images only from ECR. qscanner gets a pull token the way {@code docker login} would: user
 * {@code AWS}, password from {@code ecr:GetAuthorizationToken} (valid 12 hours), asked for with the same
 * credentials qscanner uses (so in hub mode the spoke role pulls from its own account's registry), in the target's
 * region, and handed over as {@code QSCANNER_REGISTRY_USERNAME} / {@code QSCANNER_REGISTRY_PASSWORD}. Lambda runs
 * images only from a registry in the function's own region, so a digest naming another region is refused.
 *
 * <p>The client is built per scan because its credentials are per scan; the HTTP client is the shared one.
 */
final class EcrRegistryLogin implements RegistryLogin {

  static final String USERNAME_VARIABLE = "QSCANNER_REGISTRY_USERNAME";
  static final String PASSWORD_VARIABLE = "QSCANNER_REGISTRY_PASSWORD";
  /** The ECR endpoint the token came from, for a child that must pull there too (never set on AWS). */
  static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_ECR";

  private static final Pattern ECR_HOST =
      Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/.*");

  private final SdkHttpClient http;
  private final URI endpointOverride;

  /**
   * @param endpointOverride null in AWS (the SDK resolves it); where this function is pointed at another endpoint
   *     ({@code AWS_ENDPOINT_URL}: the emulator, in tests and the local run) that one, and the child is handed it as
   *     {@value #ENDPOINT_VARIABLE}: the token is good only for the registry behind the endpoint that issued it
   */
  EcrRegistryLogin(SdkHttpClient http, URI endpointOverride) {
    this.http = http;
    this.endpointOverride = endpointOverride;
  }

  @Override
  public Map<String, String> environment(Target target, AwsCredentials credentials) {
    if (target.packageType() != PackageType.IMAGE || target.imageDigest() == null) {
      return Map.of();
    }
    Matcher m = ECR_HOST.matcher(target.imageDigest());
    if (!m.matches()) {
      return Map.of(); // not an ECR image: nothing we could log in to
    }
    String registryId = m.group(1);
    if (!m.group(2).equals(target.region())) {
      throw new InvalidInputException("target.imageDigest names an ECR registry outside the target's region");
    }
    EcrClientBuilder builder =
        EcrClient.builder()
            .httpClient(http)
            .region(Region.of(target.region()))
            .credentialsProvider(StaticCredentialsProvider.create(credentials));
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    try (EcrClient ecr = builder.build()) {
      AuthorizationData data =
          ecr.getAuthorizationToken(r -> r.registryIds(registryId)).authorizationData().getFirst();
      String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new TerminalException("ECR returned an authorization token of an unexpected shape");
      }
      Map<String, String> env = new java.util.LinkedHashMap<>();
      env.put(USERNAME_VARIABLE, decoded.substring(0, colon));
      env.put(PASSWORD_VARIABLE, decoded.substring(colon + 1));
      if (endpointOverride != null) {
        env.put(ENDPOINT_VARIABLE, endpointOverride.toString());
      }
      return Map.copyOf(env);
    } catch (EcrException e) {
      String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
        throw new RetryableException("ECR is unavailable (" + code + ")", e);
      }
      throw new TerminalException(
          "cannot get an ECR pull token for registry " + registryId + " (" + code
              + "): the scanner's role needs ecr:GetAuthorizationToken, and ecr:BatchGetImage and"
              + " ecr:GetDownloadUrlForLayer on the repository");
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach ECR", e);
    } catch (IllegalArgumentException e) {
      throw new TerminalException("ECR returned an authorization token that is not base64");
    }
  }
}
