package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.Target;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * {@code lambda:GetFunctionConfiguration} on the target (qualified with its version), in its region, with the
 * credentials qscanner gets: this function's role, or in hub mode the spoke role. The client is per call because
 * its credentials are (they last one scan); it shares the container's one HTTP client, which closing it leaves open.
 */
final class LambdaTargetCode implements TargetCode {

  private final SdkHttpClient http;
  private final URI endpoint;

  /** @param endpoint null on AWS (the SDK's own endpoint, or {@code AWS_ENDPOINT_URL}); the emulator's in tests */
  LambdaTargetCode(SdkHttpClient http, URI endpoint) {
    this.http = http;
    this.endpoint = endpoint;
  }

  @Override
  public CodeState read(Target target, AwsCredentials credentials) {
    var builder =
        LambdaClient.builder()
            .httpClient(http)
            .region(Region.of(target.region()))
            .credentialsProvider(StaticCredentialsProvider.create(credentials));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    String version = target.version() == null ? "$LATEST" : target.version();
    try (LambdaClient lambda = builder.build()) {
      GetFunctionConfigurationResponse config =
          lambda.getFunctionConfiguration(b -> b.functionName(target.functionArn()).qualifier(version));
      return new CodeState(config.codeSha256(), config.revisionId());
    } catch (ResourceNotFoundException e) {
      return CodeState.GONE;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String what =
          "lambda:GetFunctionConfiguration on " + target.qualifiedArn() + " failed (" + code + ", HTTP "
              + e.statusCode() + ")";
      if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
        throw new RetryableException(what);
      }
      if (e.statusCode() == 403) {
        throw new TerminalException(
            "access denied: the scanner's role (the spoke role in hub mode) needs lambda:GetFunctionConfiguration on "
                + target.qualifiedArn());
      }
      throw new TerminalException(what);
    } catch (SdkClientException e) {
      throw new RetryableException(
          "lambda:GetFunctionConfiguration on " + target.qualifiedArn() + " did not complete (network or timeout)");
    }
  }
}
