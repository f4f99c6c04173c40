package com.qualys.lambdascanner.store;

import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.record.ResultRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The results bucket's layout. Every part that comes from the state is checked before it goes into a key: an
 * account or region that is not one (a target Resolve Target could not describe) is {@code unknown}.
 */
final class RecordKeys {

  static final String UNKNOWN = "unknown";

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private RecordKeys() {}

  /**
   * {@code results/account=<acct>/region=<region>/date=<yyyy-MM-dd>/<scanId>.json}, Hive-style for Athena.
   * The date is the trigger's (else the record's): a retried execution computes the same key, even across
   * midnight, as long as the trigger is known.
   */
  static String resultKey(ResultRecord record) {
    Target target = record.target();
    Instant when =
        record.timings().triggeredAt() != null ? record.timings().triggeredAt() : record.timings().recordedAt();
    return "results/account="
        + account(target)
        + "/region="
        + region(target)
        + "/date="
        + DATE.format(when)
        + "/"
        + record.scanId()
        + ".json";
  }

  /** {@code latest/<acct>/<region>/<function>.json}, or null for skips and records without a known target. */
  static String latestKey(ResultRecord record) {
    return record.status() == RecordStatus.SKIPPED ? null : latestKeyOf(record.target());
  }

  /** The function's latest/ key whatever the record's status (a skip for a deleted function reads it), or null. */
  static String latestKeyOf(Target target) {
    if (target == null
        || UNKNOWN.equals(account(target))
        || UNKNOWN.equals(region(target))
        || target.functionName() == null
        || !FUNCTION_NAME.matcher(target.functionName()).matches()) {
      return null;
    }
    return "latest/" + target.accountId() + "/" + target.region() + "/" + target.functionName() + ".json";
  }

  /** {@code claims/<sha256 hex of dedupKey>.json}, as Resolve Target creates it. */
  static String claimKey(String dedupKey) {
    return "claims/" + sha256Hex(dedupKey) + ".json";
  }

  /** Lower-case hex SHA-256 of the UTF-8 text. */
  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String account(Target target) {
    return target != null && target.accountId() != null && ACCOUNT.matcher(target.accountId()).matches()
        ? target.accountId()
        : UNKNOWN;
  }

  static String region(Target target) {
    return target != null && target.region() != null && REGION.matcher(target.region()).matches()
        ? target.region()
        : UNKNOWN;
  }
}
