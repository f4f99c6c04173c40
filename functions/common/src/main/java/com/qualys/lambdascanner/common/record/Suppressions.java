package com.qualys.lambdascanner.common.record;

import com.qualys.lambdascanner.common.model.SeverityCounts;
import java.util.List;

/**
 * What the suppression list (accepted risks) did to this scan. Suppressed findings are counted here and left
 * out of {@link FindingChanges}: they are never alerted, and they come back as new when their entry expires.
 *
 * @param listKey the list's S3 key in the results bucket
 * @param listVersionId the S3 version of the list that was applied, null when unversioned or absent
 * @param counts suppressed findings by severity
 * @param suppressed the suppressed findings' ids ({@code <QID>} or {@code <QID>/<package>}), at most
 *     {@link #MAX_LISTED}
 * @param errors entries that were refused, and why (an unreadable list is one error and suppresses nothing);
 *     at most {@link #MAX_LISTED}
 */
public record Suppressions(
    String listKey, String listVersionId, SeverityCounts counts, List<String> suppressed, List<String> errors) {

  public static final int MAX_LISTED = 20;

  public Suppressions {
    counts = counts == null ? SeverityCounts.NONE : counts;
    suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
