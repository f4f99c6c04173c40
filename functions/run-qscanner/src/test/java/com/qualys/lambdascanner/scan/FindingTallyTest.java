package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTallyTest {

  @Test
  void summary_whenMoreSevereFindingsThanKeptButALowerOneIsRiskier_expectationTheRiskiestKeptFirst() {
    FindingTally sut = new FindingTally();
    // Severity 5 findings nobody exploits (QDS 35), more than are kept, read before a severity 3 exploited one.
    for (int i = 0; i < ReportParser.TOP_FINDINGS + 5; i++) {
      sut.add(new Finding(Integer.toString(100 + i), List.of(), 5, "quiet", "p" + i, "1", null, 35, null));
    }
    Finding exploited = new Finding("300", List.of(), 3, "exploited", "b", "1", null, 95, null);
    sut.add(exploited);

    List<Finding> top = sut.summary("report", null).topFindings();

    assertThat(top).hasSize(ReportParser.TOP_FINDINGS);
    assertThat(top.getFirst()).isEqualTo(exploited);
    assertThat(top.get(1).qid()).as("then by severity and id").isEqualTo("100");
  }
}
