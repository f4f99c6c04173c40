package com.qualys.lambdascanner.local;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Clients and accounts of a {@link LocalPipeline}: one HTTP client for every SDK client of the run, the run's own
 * clients in its account and region, credentials per account, and every secret STS handed out (for the leak checks).
 */
final class LocalClients implements AutoCloseable {

  private final URI endpoint;
  private final String account;
  private final String region;
  private final SdkHttpClient http = UrlConnectionHttpClient.builder()
      .socketTimeout(Duration.ofMinutes(2))
      .build();
  private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
  /** Secret keys and session tokens this run got from STS (the function runtimes' own credentials). */
  private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();
  private final AwsCredentialsProvider own;
  final S3Client s3;
  final SnsClient sns;
  final SqsClient sqs;
  final SfnClient sfn;
  final LambdaClient lambdaControl;
  final SecretsManagerClient secrets;
  final KmsClient kms;
  /** Access key ids of the sessions the harness assumed for its own set-up in other accounts. */
  private final Set<String> harnessKeys = ConcurrentHashMap.newKeySet();
  private volatile LocalAuthorization authorization;

  LocalClients(URI endpoint, String account, String region) {
    this.endpoint = endpoint;
    this.account = account;
    this.region = region;
    this.own = credentialsFor(account);
    this.s3 = build(S3Client.builder().forcePathStyle(true), own);
    this.sns = build(SnsClient.builder(), own);
    this.sqs = build(SqsClient.builder(), own);
    this.sfn = build(SfnClient.builder(), own);
    this.lambdaControl = build(LambdaClient.builder(), own);
    this.secrets = build(SecretsManagerClient.builder(), own);
    this.kms = build(KmsClient.builder(), own);
  }

  /** From now on the harness's own sessions are known to the run's authorization as the harness's. */
  void authorization(LocalAuthorization authorization) {
    this.authorization = authorization;
    harnessKeys.forEach(authorization::harnessKey);
  }

  /** moto: default credentials act in 123456789012; assumed-role credentials act in the role's account. */
  AwsCredentialsProvider credentialsFor(String targetAccount) {
    return credentials.computeIfAbsent(targetAccount, a -> {
      StaticCredentialsProvider base = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
      if (a.equals(PipelineSettings.DEFAULT_ACCOUNT)) {
        return base;
      }
      StsClient sts = build(StsClient.builder(), base, Region.of(region));
      var assumed = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + a + ":role/local-pipeline")
          .roleSessionName("local-pipeline")).credentials();
      issuedSecrets.add(assumed.secretAccessKey());
      issuedSecrets.add(assumed.sessionToken());
      harnessKeys.add(assumed.accessKeyId());
      LocalAuthorization enforcing = authorization;
      if (enforcing != null) {
        enforcing.harnessKey(assumed.accessKeyId());
      }
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(
          assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()));
    });
  }

  /** Session credentials of {@code roleArn} for one function's runtime, as Lambda gives each function its role's. */
  AwsSessionCredentials functionCredentials(String roleArn, String functionName) {
    StsClient sts = build(StsClient.builder(), own, Region.of(region));
    var assumed = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName(functionName)).credentials();
    issuedSecrets.add(assumed.secretAccessKey());
    issuedSecrets.add(assumed.sessionToken());
    authorization.functionSession(assumed.accessKeyId(), roleArn, functionName);
    return AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken());
  }

  /** Lambda's control plane in another account and region of the emulator (the fleet's spokes, targets there). */
  LambdaClient lambdaIn(String targetAccount, String targetRegion) {
    return targetAccount.equals(account) && targetRegion.equals(region)
        ? lambdaControl
        : build(LambdaClient.builder(), credentialsFor(targetAccount), targetRegion);
  }

  /** Secret keys and session tokens STS issued to this run. */
  Set<String> issuedSecrets() {
    return issuedSecrets;
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
      AwsCredentialsProvider provider) {
    return build(builder, provider, Region.of(region));
  }

  <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
      AwsCredentialsProvider provider, Region clientRegion) {
    builder.httpClient(http);
    return builder.endpointOverride(endpoint).region(clientRegion).credentialsProvider(provider).build();
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
      AwsCredentialsProvider provider, String clientRegion) {
    return build(builder, provider, Region.of(clientRegion));
  }

  @Override
  public void close() {
    http.close();
  }
}
