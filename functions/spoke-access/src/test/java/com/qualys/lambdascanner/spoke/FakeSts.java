package com.qualys.lambdascanner.spoke;

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
 * STS without the network, for the functions' tests too (spoke-access's test-jar): answers GetCallerIdentity with
 * one account, records every AssumeRole request and answers it with numbered, recognisable credentials (or the
 * failure it is given), so a test can tell sessions apart and prove the credentials go nowhere. moto assumes any
 * role: a missing spoke role or a wrong external id can only be played here. The SDK's own
 * {@code StsAssumeRoleCredentialsProvider} runs on top of it unchanged.
 */
public final class FakeSts implements StsClient {

  /** Session n's access key id is {@code ASIAFAKE<n>}, its secret key and token these prefixes and n. */
  public static final String ACCESS_KEY_PREFIX = "ASIAFAKE";

  public static final String SECRET_PREFIX = "fake-secret-";
  public static final String TOKEN_PREFIX = "fake-token-";

  public final List<AssumeRoleRequest> assumed = new ArrayList<>();
  public int callerIdentityCalls;
  private final String account;
  private RuntimeException assumeFailure;
  private RuntimeException identityFailure;
  private Duration lifetime;

  public FakeSts(String account) {
    this.account = account;
  }

  /** Every AssumeRole fails with this until {@code null} is given. */
  public FakeSts failingWith(RuntimeException failure) {
    this.assumeFailure = failure;
    return this;
  }

  /** Every GetCallerIdentity fails with this until {@code null} is given. */
  public FakeSts failingIdentityWith(RuntimeException failure) {
    this.identityFailure = failure;
    return this;
  }

  /** How long the sessions it hands out last, whatever was asked for (by default: what was asked for). */
  public FakeSts sessionsLasting(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  @Override
  public synchronized GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
    callerIdentityCalls++;
    if (identityFailure != null) {
      throw identityFailure;
    }
    return GetCallerIdentityResponse.builder()
        .account(account)
        .arn("arn:aws:sts::" + account + ":assumed-role/qualys-lambda-scanner/session")
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
    Duration lasting =
        lifetime != null
            ? lifetime
            : Duration.ofSeconds(request.durationSeconds() == null ? 3600 : request.durationSeconds());
    return AssumeRoleResponse.builder()
        .credentials(
            Credentials.builder()
                .accessKeyId(ACCESS_KEY_PREFIX + n)
                .secretAccessKey(SECRET_PREFIX + n)
                .sessionToken(TOKEN_PREFIX + n)
                .expiration(Instant.now().plus(lasting))
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
