package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.model.Ending;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.record.ResultRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Optional ({@code TAG_SCANNED_FUNCTIONS}): tags the scanned function with its last outcome, so a console or a
 * tag-based query shows it without reading the bucket. Best effort by design: the result record, written before,
 * is the source of truth, so a failed tag is a warning and never fails Store Results (a retry would rewrite the
 * record for a tag's sake). Only functions in this function's own account and region: its role may tag nothing
 * else, and a spoke's function would need the spoke role, which this function does not assume.
 */
public final class FunctionTagger {

  /** The fixed prefix of every tag this scanner sets; the IAM policy allows no other keys. */
  public static final String PREFIX = "qualys-scan:";

  public static final String STATUS_KEY = PREFIX + "status";

  public static final String TIME_KEY = PREFIX + "time";

  /** Where the scan is in the Qualys platform (QScanner's RepoTag and image id), when it reports them. */
  public static final String REPO_TAG_KEY = PREFIX + "repo-tag";

  public static final String IMAGE_ID_KEY = PREFIX + "image-id";

  private final boolean enabled;
  private final LambdaClient lambda;
  private final String ownRegion;
  private final Supplier<String> ownAccountLookup;
  private final StructuredLog log;
  private volatile String ownAccount;

  /**
   * @param lambda the client TagResource goes through; null when disabled
   * @param ownRegion this function's region
   * @param ownAccountLookup this function's account, asked at most once per successful answer and only when a
   *     record is to be tagged
   */
  public FunctionTagger(
      boolean enabled, LambdaClient lambda, String ownRegion, Supplier<String> ownAccountLookup, StructuredLog log) {
    this.enabled = enabled;
    this.lambda = lambda;
    this.ownRegion = ownRegion;
    this.ownAccountLookup = ownAccountLookup;
    this.log = log;
  }

  /** Tagging off: what the function does unless {@code TAG_SCANNED_FUNCTIONS=true}. */
  public static FunctionTagger disabled(StructuredLog log) {
    return new FunctionTagger(false, null, null, () -> null, log);
  }

  /**
   * The tags for a record (status and time, and the Qualys locator when known), or an empty map when its ending is not tagged: a skip (nothing was scanned, and
   * the function may be the scanner's own or opted out), or a record without a target.
   */
  static Map<String, String> tagsFor(Ending ending, ResultRecord record) {
    if (ending == Ending.SKIPPED
        || ending == null
        || record.status() == RecordStatus.SKIPPED
        || record.target() == null
        || record.timings() == null
        || record.timings().recordedAt() == null) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(STATUS_KEY, record.status().name());
    tags.put(TIME_KEY, timeValue(record.timings().recordedAt()));
    // Validated as tag-safe when read from the ScanResult file.
    if (record.qualys() != null && record.qualys().repoTag() != null) {
      tags.put(REPO_TAG_KEY, record.qualys().repoTag());
    }
    if (record.qualys() != null && record.qualys().imageId() != null) {
      tags.put(IMAGE_ID_KEY, record.qualys().imageId());
    }
    return tags;
  }

  /** ISO-8601 UTC to the second ({@code 2026-11-27T13:03:05Z}): only characters tag values allow. */
  static String timeValue(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The unqualified ARN to tag, or null when the target is not this function's account and region. */
  static String taggableArn(ResultRecord record, String ownAccount, String ownRegion) {
    String arn = record.target().functionArn();
    if (arn == null) {
      return null;
    }
    LambdaArn parsed;
    try {
      parsed = LambdaArn.parse(arn);
    } catch (InvalidInputException e) {
      return null;
    }
    if (!parsed.accountId().equals(ownAccount) || !parsed.region().equals(ownRegion)) {
      return null;
    }
    return parsed.unqualified();
  }

  /**
   * Tags the record's function when tagging is on and the record qualifies. Never throws.
   *
   * @return what happened, for the log: off, none (ending not tagged), elsewhere (another account or region),
   *     tagged or failed
   */
  public String tag(Ending ending, ResultRecord record) {
    if (!enabled) {
      return "off";
    }
    try {
      Map<String, String> tags = tagsFor(ending, record);
      if (tags.isEmpty()) {
        return "none";
      }
      String arn = taggableArn(record, ownAccount(), ownRegion);
      if (arn == null) {
        log.info(
            "scanned function not tagged: not in this function's account and region",
            record.scanId(),
            Map.of("functionArn", String.valueOf(record.target().functionArn())));
        return "elsewhere";
      }
      tags.replaceAll((key, value) -> log.guard().redact(value));
      lambda.tagResource(b -> b.resource(arn).tags(tags));
      return "tagged";
    } catch (RuntimeException e) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("functionArn", record.target() == null ? null : record.target().functionArn());
      fields.put("errorType", e.getClass().getName());
      if (e instanceof AwsServiceException aws) {
        fields.put("errorCode", aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode());
        fields.put("statusCode", aws.statusCode());
      }
      log.warn("cannot tag the scanned function; the result record is stored", record.scanId(), fields);
      return "failed";
    }
  }

  private String ownAccount() {
    String account = ownAccount;
    if (account == null) {
      account = ownAccountLookup.get();
      ownAccount = account;
    }
    return account;
  }
}
