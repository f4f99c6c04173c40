package com.qualys.lambdascanner.resolve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * STS without the network: answers GetCallerIdentity with one account, records every AssumeRole request and
 * answers it with numbered credentials (or the failure it is given). The SDK's own
 * {@code StsAssumeRoleCredentialsProvider} runs on top of it unchanged.
 */
final class FakeSts implements StsClient {

  static final String SECRET_PREFIX = "fake-secret-";
  static final String TOKEN_PREFIX = "fake-token-";

  final List<AssumeRoleRequest> assumed = new ArrayList<>();
  int callerIdentityCalls;
  private final String account;
  private RuntimeException assumeFailure;
  private Duration lifetime = Duration.ofHours(1);

  FakeSts(String account) {
    this.account = account;
  }

  /** Every AssumeRole fails with this until {@code null} is given. */
  FakeSts failingWith(RuntimeException failure) {
    this.assumeFailure = failure;
    return this;
  }

  /** How long the sessions it hands out last. */
  FakeSts sessionsLasting(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  @Override
  public synchronized GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
    callerIdentityCalls++;
    return GetCallerIdentityResponse.builder()
        .account(account)
        .arn("arn:aws:sts::" + account + ":assumed-role/qualys-lambda-scanner/resolve-target/session")
        .userId("AROAFAKE:session")
        .build();
  }

  @Override
  public synchronized AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
    assumed.add(request);
    if (assumeFailure != null) {
      throw assumeFailure;
    }
    int n = assumed.size();
    String roleAccount = request.roleArn().split(":")[4];
    return AssumeRoleResponse.builder()
        .credentials(
            Credentials.builder()
                .accessKeyId("ASIAFAKE" + n)
                .secretAccessKey(SECRET_PREFIX + n)
                .sessionToken(TOKEN_PREFIX + n)
                .expiration(Instant.now().plus(lifetime))
                .build())
        .assumedRoleUser(
            AssumedRoleUser.builder()
                .arn("arn:aws:sts::" + roleAccount + ":assumed-role/spoke/" + request.roleSessionName())
                .assumedRoleId("AROAFAKE" + n + ":" + request.roleSessionName())
                .build())
        .build();
  }

  @Override
  public String serviceName() {
    return "sts";
  }

  @Override
  public void close() {}
}
