package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.record.FindingChanges;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FindingsComparisonTest {

  private static Finding f(String qid, int severity, String pkg) {
    return new Finding(qid, List.of(), severity, "t" + qid, pkg, "1.0", null, null, null);
  }

  @Test
  void compare_whenFindingsChanged_expectationNewFixedPersistingByIdentity() {
    List<Finding> before = List.of(f("1", 5, "a"), f("2", 3, "b"), f("3", 2, "c"));
    List<Finding> now = List.of(f("2", 3, "b"), f("3", 2, "c"), f("4", 4, "d"), f("1", 5, "other-package"));

    FindingChanges changes = FindingsComparison.compare(now, before, "scan-1", true);

    assertThat(changes.comparedWith()).isEqualTo(FindingChanges.PREVIOUS);
    assertThat(changes.previousScanId()).isEqualTo("scan-1");
    assertThat(changes.newCounts().urgent()).as("the same QID in another package is new").isEqualTo(1);
    assertThat(changes.newCounts().critical()).isEqualTo(1);
    assertThat(changes.fixedCounts().urgent()).isEqualTo(1);
    assertThat(changes.persistingCounts().total()).isEqualTo(2);
    assertThat(changes.newHighestSeverity()).isEqualTo(5);
    assertThat(changes.newFindings()).extracting(Finding::qid).containsExactly("1", "4");
    assertThat(changes.fixedFindings()).extracting(Finding::packageName).containsExactly("a");
  }

  @Test
  void compare_whenSeverityAndQdsDisagree_expectationRiskiestListedFirstAndHighestRiskOverAll() {
    Finding severeButQuiet = new Finding("500", List.of(), 5, "t", "a", "1", null, 35, null);
    Finding exploited = new Finding("300", List.of(), 3, "t", "b", "1", null, 95, null);
    List<Finding> now = new java.util.ArrayList<>(List.of(severeButQuiet, exploited));
    // More new findings than are listed: the least risky is left out, severity 5 or not.
    IntStream.range(0, FindingChanges.MAX_LISTED).forEach(i -> now.add(f("9" + i, 5, "z" + i)));

    FindingChanges changes = FindingsComparison.compare(now, List.of(), null, true);

    assertThat(changes.newFindings().getFirst()).isEqualTo(exploited);
    assertThat(changes.newFindings()).hasSize(FindingChanges.MAX_LISTED).doesNotContain(severeButQuiet);
    assertThat(changes.newHighestRisk()).isEqualTo(95);
    assertThat(changes.newHighestSeverity()).isEqualTo(5);
  }

  @Test
  void compare_whenFirstScan_expectationEverythingNew() {
    FindingChanges changes = FindingsComparison.compare(List.of(f("1", 2, "a")), List.of(), null, true);

    assertThat(changes.comparedWith()).isEqualTo(FindingChanges.NONE);
    assertThat(changes.newCounts().medium()).isEqualTo(1);
  }

  @Test
  void compare_whenSameFindingTwice_expectationCountedOnce() {
    FindingChanges changes =
        FindingsComparison.compare(List.of(f("1", 2, "a"), f("1", 2, "a")), List.of(), null, true);

    assertThat(changes.newCounts().total()).isEqualTo(1);
  }

  @Test
  void compare_whenManyNew_expectationListBoundedMostSevereFirst() {
    List<Finding> now = IntStream.range(0, 50).mapToObj(i -> f(Integer.toString(i), 1 + i % 5, "p")).toList();

    FindingChanges changes = FindingsComparison.compare(now, List.of(), null, false);

    assertThat(changes.newCounts().total()).isEqualTo(50);
    assertThat(changes.newFindings()).hasSize(FindingChanges.MAX_LISTED).allMatch(x -> x.severity() >= 4);
    assertThat(changes.complete()).isFalse();
  }
}
