package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.spoke.FakeSts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCodeLocation;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionRequest;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Layer;

/** Which credentials each Lambda call carries, and which region's client it goes to. */
class LambdaFunctionDescriberTest {

  private static final String SPOKE = "210987654321";
  private static final String SPOKE_FUNCTION = "arn:aws:lambda:eu-west-1:" + SPOKE + ":function:orders-api";
  private static final String LAYER = "arn:aws:lambda:eu-west-1:" + SPOKE + ":layer:shared-libs:3";

  private final FakeSts sts = new FakeSts("123456789012");
  private final List<String> regions = new ArrayList<>();
  private final List<AwsRequest> requests = new ArrayList<>();
  private RuntimeException getFunctionFailure;
  private String sourceKmsKeyArn;

  private final Config hub =
      new Config("results", "QualysScan", null, Duration.ofHours(1), "us-east-1", "spoke", "external-id-1");

  private LambdaFunctionDescriber sut(Config config) {
    return new LambdaFunctionDescriber(
        new LambdaClients(
            region -> {
              regions.add(region);
              return new RecordingLambda(region);
            }),
        new TargetAccess(config, sts));
  }

  @Test
  void describe_whenSpokeTarget_sendsEveryCallWithTheAssumedCredentialsInTheTargetsRegion() {
    sut(hub).describe(new FunctionRef("aws", SPOKE, "eu-west-1", "orders-api", null), "scan-1");

    assertThat(regions).containsExactly("eu-west-1");
    assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(credentials(r).resolveCredentials().accessKeyId())
        .isEqualTo("ASIAFAKE1"));
  }

  @Test
  void describe_whenOwnTarget_sendsCallsWithTheFunctionsOwnCredentials() {
    sut(hub).describe(new FunctionRef("aws", "123456789012", "us-east-1", "orders-api", null), "scan-1");

    assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r.overrideConfiguration()).isEmpty());
    assertThat(sts.assumed).isEmpty();
  }

  @Test
  void describe_whenSpokeRoleDeniedGetFunction_isTerminalNamingTheSpokeRole() {
    getFunctionFailure =
        LambdaException.builder()
            .statusCode(403)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage("m").build())
            .build();

    assertThatThrownBy(() -> sut(hub).describe(new FunctionRef("aws", SPOKE, "eu-west-1", "orders-api", null), "s"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("the spoke role arn:aws:iam::" + SPOKE + ":role/spoke needs lambda:GetFunction")
        .hasMessageContaining(SPOKE_FUNCTION);
  }

  @Test
  void describe_whenPackageUnderCustomerManagedKey_expectationTheKeyForTheScannersSessionPolicy() {
    sourceKmsKeyArn = "arn:aws:kms:eu-west-1:" + SPOKE + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

    FunctionDescription description =
        sut(hub).describe(new FunctionRef("aws", SPOKE, "eu-west-1", "orders-api", null), "scan-1").orElseThrow();

    assertThat(description.codeKmsKeyArn()).isEqualTo(sourceKmsKeyArn);
  }

  private static AwsCredentialsProvider credentials(AwsRequest request) {
    return (AwsCredentialsProvider)
        request.overrideConfiguration().flatMap(AwsRequestOverrideConfiguration::credentialsIdentityProvider).orElseThrow();
  }

  /** Answers GetFunction with a function that has one layer, and GetLayerVersion; keeps every request. */
  private final class RecordingLambda implements LambdaClient {

    private final String region;

    RecordingLambda(String region) {
      this.region = region;
    }

    @Override
    public GetFunctionResponse getFunction(GetFunctionRequest request) {
      requests.add(request);
      if (getFunctionFailure != null) {
        throw getFunctionFailure;
      }
      String account = request.functionName().split(":")[4];
      return GetFunctionResponse.builder()
          .configuration(
              FunctionConfiguration.builder()
                  .functionArn("arn:aws:lambda:" + region + ":" + account + ":function:orders-api")
                  .version("$LATEST")
                  .codeSha256("sha")
                  .layers(Layer.builder().arn(LAYER).build())
                  .build())
          .code(FunctionCodeLocation.builder().repositoryType("S3").sourceKMSKeyArn(sourceKmsKeyArn).build())
          .build();
    }

    @Override
    public GetLayerVersionResponse getLayerVersion(GetLayerVersionRequest request) {
      requests.add(request);
      return GetLayerVersionResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }
}
