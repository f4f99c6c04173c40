package com.qualys.lambdascanner.credentials;

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
 * answers it with recognisable credentials (or the failure it is given), so a test can prove they go nowhere.
 */
final class FakeSts implements StsClient {

  static final String ACCESS_KEY = "ASIAFAKEVALIDATION01";
  static final String SECRET_KEY = "fake-secret-access-key-9d8c7b6a";
  static final String SESSION_TOKEN = "fake-session-token-5e4f3a2b1c";

  final List<AssumeRoleRequest> assumed = new ArrayList<>();
  int callerIdentityCalls;
  private final String account;
  private RuntimeException assumeFailure;
  private RuntimeException identityFailure;

  FakeSts(String account) {
    this.account = account;
  }

  /** Every AssumeRole fails with this. */
  FakeSts failingAssumeWith(RuntimeException failure) {
    this.assumeFailure = failure;
    return this;
  }

  /** Every GetCallerIdentity fails with this. */
  FakeSts failingIdentityWith(RuntimeException failure) {
    this.identityFailure = failure;
    return this;
  }

  @Override
  public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
    callerIdentityCalls++;
    if (identityFailure != null) {
      throw identityFailure;
    }
    return GetCallerIdentityResponse.builder()
        .account(account)
        .arn("arn:aws:sts::" + account + ":assumed-role/fetch-credentials/session")
        .userId("AROAFAKE:session")
        .build();
  }

  @Override
  public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
    assumed.add(request);
    if (assumeFailure != null) {
      throw assumeFailure;
    }
    String roleAccount = request.roleArn().split(":")[4];
    return AssumeRoleResponse.builder()
        .credentials(
            Credentials.builder()
                .accessKeyId(ACCESS_KEY)
                .secretAccessKey(SECRET_KEY)
                .sessionToken(SESSION_TOKEN)
                .expiration(Instant.now().plusSeconds(request.durationSeconds()))
                .build())
        .assumedRoleUser(
            AssumedRoleUser.builder()
                .arn("arn:aws:sts::" + roleAccount + ":assumed-role/spoke/" + request.roleSessionName())
                .assumedRoleId("AROAFAKE:" + request.roleSessionName())
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
