package com.qualys.lambdascanner.fleet.enumerate;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.SpokeAccess;
import com.qualys.lambdascanner.spoke.SpokeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * ListFunctions through the role {@link SpokeAccess} names for the scope: the function's own for its own account
 * and region, the spoke role elsewhere (hub mode). The assumed credentials live only as long as the listing; they
 * are never logged or returned. ListFunctions returns at most 50 functions a page: every page is read.
 */
public final class LambdaFunctionLister implements FunctionLister {

  /** STS's minimum: a listing of a few thousand functions takes seconds. */
  static final Duration SESSION = SpokeAccess.MIN_SESSION;

  private final SpokeAccess spokes;
  private final SdkHttpClient http;
  /** With the function's own credentials: one client per region for the container's life. */
  private final Map<String, LambdaClient> own = new ConcurrentHashMap<>();

  public LambdaFunctionLister(SpokeAccess spokes, SdkHttpClient http) {
    this.spokes = spokes;
    this.http = http;
  }

  @Override
  public List<FunctionConfiguration> list(String accountId, String region, String runId) {
    String partition = partitionOf(region);
    SpokeRole role = spokes.roleFor(partition, accountId, region, "account " + accountId + " in " + region);
    if (role == null) {
      return list(own.computeIfAbsent(region, r -> LambdaClient.builder().httpClient(http).region(Region.of(r)).build()),
          accountId, region, null);
    }
    // The assumed session lives only as long as this listing: its client is closed right after.
    Credentials assumed = spokes.assume(role, runId, SESSION);
    try (LambdaClient lambda = LambdaClient.builder().httpClient(http).region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
            assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()))).build()) {
      return list(lambda, accountId, region, role);
    }
  }

  private static List<FunctionConfiguration> list(LambdaClient lambda, String accountId, String region, SpokeRole role) {
    try {
      List<FunctionConfiguration> functions = new ArrayList<>();
      lambda.listFunctionsPaginator(b -> b.maxItems(50)).functions().forEach(functions::add);
      return functions;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String what = "lambda:ListFunctions in account " + accountId + " region " + region + " failed ("
          + (code == null ? "no error code" : code) + ", HTTP " + e.statusCode() + ")";
      if (e.isThrottlingException() || e.statusCode() >= 500) {
        throw new RetryableException(what, e);
      }
      throw new TerminalException(what + (role == null ? "" : " through " + role.arn()), e);
    } catch (SdkClientException e) {
      throw new RetryableException("lambda:ListFunctions in account " + accountId + " region " + region
          + " did not complete (network or timeout)", e);
    } catch (SdkException e) {
      throw new TerminalException("lambda:ListFunctions in account " + accountId + " region " + region + " failed", e);
    }
  }

  static String partitionOf(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
}
