package com.qualys.lambdascanner.common.model;

import java.util.List;

/**
 * One exposure fact about a scanned function, with what shows it. A fact that could not be read is
 * {@link Answer#UNKNOWN} with the reason (access denied, throttled, too large, malformed), never {@link Answer#NO}.
 *
 * @param answer yes, no, or unknown
 * @param reason one line saying why (what was found, or why it could not be read)
 * @param evidence what shows it: a statement's Sid and principal, an attached policy's ARN, a URL's qualifier (bounded)
 */
public record ExposureFact(Answer answer, String reason, List<String> evidence) {

  /** The evidence kept per fact: enough to act on, bounded because a policy is attacker-written. */
  public static final int MAX_EVIDENCE = 10;

  /** Each evidence line and reason is cut to this many characters. */
  public static final int MAX_TEXT = 300;

  public enum Answer { YES, NO, UNKNOWN }

  public ExposureFact {
    answer = answer == null ? Answer.UNKNOWN : answer;
    reason = cut(reason);
    evidence = evidence == null ? List.of()
        : evidence.stream().limit(MAX_EVIDENCE).map(ExposureFact::cut).toList();
  }

  public static ExposureFact yes(String reason, List<String> evidence) {
    return new ExposureFact(Answer.YES, reason, evidence);
  }

  public static ExposureFact no(String reason) {
    return new ExposureFact(Answer.NO, reason, List.of());
  }

  public static ExposureFact unknown(String reason) {
    return new ExposureFact(Answer.UNKNOWN, reason, List.of());
  }

  public boolean yes() {
    return answer == Answer.YES;
  }

  public boolean known() {
    return answer != Answer.UNKNOWN;
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
  }
}
