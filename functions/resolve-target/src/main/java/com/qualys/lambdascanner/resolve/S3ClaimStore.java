package com.qualys.lambdascanner.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.json.JsonCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Claims in S3, {@code claims/<sha256 hex of the dedup key>.json}, made with conditional writes so that of
 * any number of concurrent executions exactly one wins:
 *
 * <ul>
 *   <li>{@code If-None-Match: *} creates the claim only if there is none (412 otherwise);
 *   <li>a claim held by this same scan is ours (a retried invocation);
 *   <li>a {@code CLAIMED} claim older than the TTL is taken over with {@code If-Match} on the ETag read, so two
 *       takers cannot both win. Its age is S3's LastModified, never the {@code claimedAt} in its body: whoever can
 *       write a claim could write any time there (issue 12);
 *   <li>a {@code COMPLETED} claim (Store Results marks it after a scan, which sets its LastModified) blocks a rescan
 *       for the freshness window ({@code rescanAfter}, again by LastModified); after that it is taken over like an
 *       expired one, so unchanged code is scanned again against today's vulnerability data;
 *   <li>{@code force} overwrites unconditionally.
 * </ul>
 */
public final class S3ClaimStore implements ClaimStore {

  static final String CLAIMED = "CLAIMED";
  static final String COMPLETED = "COMPLETED";

  private final S3Client s3;
  private final String bucket;
  private final Duration ttl;
  private final Duration rescanAfter;
  private final Clock clock;
  private final JsonCodec json;

  public S3ClaimStore(S3Client s3, String bucket, Duration ttl, Duration rescanAfter, Clock clock, JsonCodec json) {
    this.s3 = s3;
    this.bucket = bucket;
    this.ttl = ttl;
    this.rescanAfter = rescanAfter;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public ClaimOutcome claim(String dedupKey, String scanId, boolean force) {
    String key = DedupKey.claimObjectKey(dedupKey);
    Instant now = clock.instant();
    byte[] body = body(dedupKey, scanId, now);
    if (force) {
      put(key, body, null, null);
      return ClaimOutcome.won(ClaimOutcome.How.FORCED);
    }
    if (put(key, body, "*", null)) {
      return ClaimOutcome.won(ClaimOutcome.How.CLAIMED);
    }
    Optional<Existing> existing = read(key);
    if (existing.isEmpty()) {
      // Released (deleted) between our write and our read: one more try, then give way.
      return put(key, body, "*", null)
          ? ClaimOutcome.won(ClaimOutcome.How.CLAIMED)
          : ClaimOutcome.held(null, null);
    }
    Existing held = existing.get();
    if (scanId.equals(held.scanId())) {
      return ClaimOutcome.won(ClaimOutcome.How.RECLAIMED);
    }
    boolean expired = held.writtenAt().plus(COMPLETED.equals(held.status()) ? rescanAfter : ttl).isBefore(now);
    if (expired) {
      return put(key, body, null, held.etag())
          ? ClaimOutcome.won(ClaimOutcome.How.TAKEN_OVER)
          : ClaimOutcome.held(null, null);
    }
    return ClaimOutcome.held(held.scanId(), held.status());
  }

  private byte[] body(String dedupKey, String scanId, Instant now) {
    Map<String, Object> claim = new LinkedHashMap<>();
    claim.put("dedupKey", dedupKey);
    claim.put("scanId", scanId);
    claim.put("claimedAt", now.toString());
    claim.put("expiresAt", now.plus(ttl).toString());
    claim.put("status", CLAIMED);
    return json.toJson(claim).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Writes the claim.
   *
   * @return false when the condition failed (412), or a concurrent conditional write won (409), or the object
   *     to replace is gone (404 on If-Match)
   */
  private boolean put(String key, byte[] body, String ifNoneMatch, String ifMatch) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
    if (ifNoneMatch != null) {
      request.ifNoneMatch(ifNoneMatch);
    }
    if (ifMatch != null) {
      request.ifMatch(ifMatch);
    }
    try {
      s3.putObject(request.build(), RequestBody.fromBytes(body));
      return true;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 412 || e.statusCode() == 409 || (ifMatch != null && e.statusCode() == 404 && !noSuchBucket(e))) {
        return false;
      }
      throw AwsErrors.map(e, "s3:PutObject", resource(key));
    } catch (SdkException e) {
      throw AwsErrors.map(e, "s3:PutObject", resource(key));
    }
  }

  private Optional<Existing> read(String key) {
    ResponseBytes<GetObjectResponse> object;
    try {
      object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404 && !noSuchBucket(e)) {
        return Optional.empty();
      }
      throw AwsErrors.map(e, "s3:GetObject", resource(key));
    } catch (SdkException e) {
      throw AwsErrors.map(e, "s3:GetObject", resource(key));
    }
    Instant lastModified = object.response().lastModified();
    String scanId = null;
    String status = null;
    try {
      JsonNode claim = json.mapper().readTree(object.asByteArray());
      if (claim != null && claim.isObject()) {
        scanId = claim.path("scanId").isTextual() ? claim.get("scanId").asText() : null;
        status = claim.path("status").isTextual() ? claim.get("status").asText() : null;
      }
    } catch (java.io.IOException unreadable) {
      // An unreadable claim still holds the key.
    }
    // S3 always sends Last-Modified; without it the claim counts as fresh (it holds, it does not expire early).
    // Claimed or completed, the last write is what dates it: the times in the body are whatever the writer chose.
    Instant writtenAt = lastModified != null ? lastModified : clock.instant();
    return Optional.of(new Existing(scanId, status, writtenAt, object.response().eTag()));
  }

  private static boolean noSuchBucket(AwsServiceException e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  private String resource(String key) {
    return "arn:aws:s3:::" + bucket + "/" + key;
  }

  private record Existing(String scanId, String status, Instant writtenAt, String etag) {}
}
