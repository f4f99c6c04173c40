package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.scan.TargetCode.CodeState;
import org.junit.jupiter.api.Test;

class CodeChangeCheckTest {

  private final Target target = TestSupport.zipTarget("fn");
  private final CodeState resolved = new CodeState(target.codeSha256(), "r1");

  @Test
  void beforeScan_whenShaIsTheResolvedOne_noChange() {
    assertThat(CodeChangeCheck.beforeScan(target, resolved)).isNull();
  }

  @Test
  void afterScan_whenOnlyTheRevisionMoved_changed() {
    // Same code sha, new revision: e.g. UpdateFunctionConfiguration swapped the layers during the scan.
    assertThat(CodeChangeCheck.afterScan(target, resolved, new CodeState(target.codeSha256(), "r2")))
        .contains("revision r1 -> r2")
        .contains("not a verdict");
  }

  @Test
  void afterScan_whenNothingMoved_noChange() {
    assertThat(CodeChangeCheck.afterScan(target, resolved, new CodeState(target.codeSha256(), "r1"))).isNull();
  }

  @Test
  void afterScan_whenDeletedDuringTheScan_changed() {
    assertThat(CodeChangeCheck.afterScan(target, resolved, CodeState.GONE)).contains("deleted during the scan");
  }
}
