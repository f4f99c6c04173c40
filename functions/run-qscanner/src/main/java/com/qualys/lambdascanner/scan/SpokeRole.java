package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** The spoke role of a target's account, and how a scan's session with it is named and how long it lasts. */
final class SpokeRole {

  static final String SESSION_PREFIX = "qscanner-";

  /** STS's limits on RoleSessionName. */
  static final int MAX_SESSION_NAME = 64;

  /** STS's minimum DurationSeconds, and the spoke role's MaxSessionDuration (templates/spoke.yaml). */
  static final Duration MIN_DURATION = Duration.ofMinutes(15);

  static final Duration MAX_DURATION = Duration.ofHours(1);

  /** What the session has to outlast besides the scan itself: the ECR login and the start of the child. */
  static final Duration SLACK = Duration.ofMinutes(1);

  private static final int HASH_CHARS = 8;

  private SpokeRole() {}

  /**
   * The only role this function assumes for a target: templates/spoke.yaml's role in the target's own account and
   * partition. Built from the validated target, never taken from the input.
   */
  static String arn(Target target, String roleName) {
    return "arn:" + target.partition() + ":iam::" + target.accountId() + ":role/" + roleName;
  }

  /**
   * {@code qscanner-<scanId>}: the spoke account's CloudTrail then names the scan. A scan id too long for STS's 64
   * characters keeps its start and gets a hash of the whole id, so two long ids with a common start stay distinct.
   * Scan ids are {@code [A-Za-z0-9_-]}, all valid in a session name.
   */
  static String sessionName(String scanId) {
    String name = SESSION_PREFIX + scanId;
    if (name.length() <= MAX_SESSION_NAME) {
      return name;
    }
    String hash = "-" + sha256Hex(scanId).substring(0, HASH_CHARS);
    return name.substring(0, MAX_SESSION_NAME - hash.length()) + hash;
  }

  /**
   * The scan's time plus {@link #SLACK}, in whole seconds, within STS's minimum and the role's maximum. In Lambda
   * (15 minutes at most) this is nearly always the minimum; the cap matters only if SCAN_TIMEOUT_SECONDS is set
   * beyond what an invocation can run.
   */
  static int durationSeconds(Duration validFor) {
    Duration wanted = validFor.plus(SLACK);
    long seconds = wanted.toSeconds() + (wanted.toNanosPart() > 0 ? 1 : 0);
    return (int) Math.clamp(seconds, MIN_DURATION.toSeconds(), MAX_DURATION.toSeconds());
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
