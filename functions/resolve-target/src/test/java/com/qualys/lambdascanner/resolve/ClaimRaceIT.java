package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.resolve.ClaimStore.ClaimOutcome;
import com.qualys.lambdascanner.testing.EnforcedAws;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The claim race S3ClaimStore handles: its conditional write loses to a claim that is then deleted (released) before
 * it reads it. As Resolve Target's role, the stack's IAM enforced: S3 tells the missing claim (404) only to a caller
 * allowed s3:ListBucket (TellMissingClaims); to anyone else it answers 403, and the race would fail the resolve.
 */
class ClaimRaceIT {

  @RegisterExtension
  static final EnforcedAws AWS = EnforcedAws.stack().build();

  @Test
  void claim_whenHolderReleasesBetweenLostWriteAndRead_expectationClaimedOnTheRetry() {
    String bucket = AWS.bucket();
    String dedupKey = "arn:aws:lambda:us-east-1:123456789012:function:orders-api#" + UUID.randomUUID();
    String key = DedupKey.claimObjectKey(dedupKey);
    S3Client harness = AWS.harness(S3Client.builder());
    AtomicBoolean releaseBeforeRead = new AtomicBoolean();
    // The holder releases its claim just before the loser's read: after the lost write, as the race has it.
    ExecutionInterceptor release = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof GetObjectRequest && releaseBeforeRead.getAndSet(false)) {
          harness.deleteObject(b -> b.bucket(bucket).key(key));
        }
      }
    };
    S3Client s3 = AWS.client(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(release)),
        "ResolveTargetFunctionRole");
    S3ClaimStore store = new S3ClaimStore(s3, bucket, Duration.ofHours(1), Duration.ofDays(7), Clock.systemUTC(),
        new JsonCodec());
    assertThat(store.claim(dedupKey, "scan-holder", false).how()).isEqualTo(ClaimOutcome.How.CLAIMED);
    releaseBeforeRead.set(true);

    ClaimOutcome outcome = store.claim(dedupKey, "scan-late", false);

    assertThat(releaseBeforeRead).isFalse();
    assertThat(outcome.won()).isTrue();
    assertThat(outcome.how()).isEqualTo(ClaimOutcome.How.CLAIMED);
    assertThat(harness.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).contains("\"scan-late\"");
  }
}
