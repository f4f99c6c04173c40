package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * The stack's guard Denys met by its own roles, with real requests through the emulator's two endpoints: the TlsOnly
 * statements refuse the pipeline itself over plain HTTP ({@code aws:SecureTransport} false, the emulator's plain
 * listener) and admit the same request over HTTPS (its main endpoint); Store Results' role may quarantine functions
 * but never the stack's own, whatever its code does. Policies no role of the stack can reach with a request of its own
 * (the operations topic, the dead-letter queues, the stack-tag Deny): {@link StackPoliciesIT}.
 */
class PolicyGuardsIT {

  @RegisterExtension
  static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("clean",
      PipelineSettings.Options.defaults().withEnvironment("store-results", "QUARANTINE_ON_DENY", "true"));
  @InjectPipeline private static LocalPipeline pipeline;

  @Test
  void putObject_whenStoreResultsWritesARecordOverPlainHttp_expectationRefusedByTheBucketsTlsOnly() {
    AwsCredentialsProvider storeResults = pipeline.roleSession("StoreResultsFunctionRole", "store-results");
    String key = "results/account=" + pipeline.account() + "/region=" + pipeline.region()
        + "/date=2026-12-07/transport-check.json";

    S3Exception refused;
    try (S3Client plain = s3(pipeline.lambda().plainEndpoint(), storeResults)) {
      refused = catchThrowableOfType(S3Exception.class,
          () -> plain.putObject(b -> b.bucket(pipeline.bucket()).key(key), RequestBody.fromString("{}")));
    }
    try (S3Client secure = s3(pipeline.lambda().endpoint(), storeResults)) {
      secure.putObject(b -> b.bucket(pipeline.bucket()).key(key), RequestBody.fromString("{}"));
    }

    assertThat(refused).as("over plain HTTP").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    assertThat(refused.awsErrorDetails().errorMessage()).contains("s3:PutObject")
        .contains("explicit deny in ResultsBucketPolicy#TlsOnly");
    assertThat(pipeline.resultObjects()).contains(key);
  }

  @Test
  void publish_whenNotifyPublishesOverPlainHttp_expectationRefusedByTheTopicsTlsOnly() {
    AwsCredentialsProvider notify = pipeline.roleSession("NotifyFunctionRole", "notify");

    SnsException refused;
    try (SnsClient plain = sns(pipeline.lambda().plainEndpoint(), notify)) {
      refused = catchThrowableOfType(SnsException.class,
          () -> plain.publish(b -> b.topicArn(pipeline.topicArn()).message("{\"transport\":\"plain\"}")));
    }
    String published;
    try (SnsClient secure = sns(pipeline.lambda().endpoint(), notify)) {
      published = secure.publish(b -> b.topicArn(pipeline.topicArn()).message("{\"transport\":\"https\"}"))
          .messageId();
    }

    assertThat(refused).as("over plain HTTP").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
    assertThat(refused.awsErrorDetails().errorMessage()).contains("sns:Publish")
        .contains("explicit deny in FindingsTopicPolicy#TlsOnly");
    assertThat(published).isNotBlank();
  }

  @Test
  void putFunctionConcurrency_whenStoreResultsAsksToQuarantineTheStacksOwnFunction_expectationRefusedByIam() {
    // The code refuses the scanner's own functions by name before it asks; the Deny is the line behind it.
    AwsCredentialsProvider storeResults = pipeline.roleSession("StoreResultsFunctionRole", "store-results");
    String own = pipeline.definition("fetch-credentials").arn();

    LambdaException refused;
    try (LambdaClient lambda = LambdaClient.builder().endpointOverride(pipeline.lambda().endpoint())
        .region(Region.of(pipeline.region())).credentialsProvider(storeResults).build()) {
      refused = catchThrowableOfType(LambdaException.class,
          () -> lambda.putFunctionConcurrency(b -> b.functionName(own).reservedConcurrentExecutions(0)));
    }

    assertThat(refused).as("quarantine of " + own).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(refused.awsErrorDetails().errorMessage()).contains("lambda:PutFunctionConcurrency")
        .containsPattern("explicit deny in StoreResultsFunctionRole\\.[A-Za-z0-9]+#NeverQuarantineOwnFunctions");
  }

  private static S3Client s3(URI endpoint, AwsCredentialsProvider credentials) {
    return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.of(pipeline.region()))
        .credentialsProvider(credentials).build();
  }

  private static SnsClient sns(URI endpoint, AwsCredentialsProvider credentials) {
    return SnsClient.builder().endpointOverride(endpoint).region(Region.of(pipeline.region()))
        .credentialsProvider(credentials).build();
  }
}
