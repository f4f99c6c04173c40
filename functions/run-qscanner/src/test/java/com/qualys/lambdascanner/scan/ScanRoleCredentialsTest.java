package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScanRoleCredentialsTest {

  private final CredentialRefs refs = new CredentialRefs("arn:s", "v", "US1", AuthKind.ACCESS_TOKEN, null);

  @Test
  void forTarget_whenScanRoleMissingOrMalformed_terminalBeforeAnyCall() {
    for (String bad : new String[] {null, "", "arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x"}) {
      // No STS client: a call would fail with a NullPointerException, not the typed error.
      ScanRoleCredentials sut = new ScanRoleCredentials(null, bad, java.util.List.of());

      assertThatThrownBy(() -> sut.forTarget("s", TestSupport.zipTarget("fn"), refs, Duration.ofMinutes(5)))
          .isInstanceOf(TerminalException.class)
          .hasMessageContaining("SCAN_ROLE_ARN");
    }
  }

  @Test
  void forTarget_whenSpokeRoleArnGiven_terminalRatherThanTheWrongIdentity() {
    ScanRoleCredentials sut = new ScanRoleCredentials(null, "arn:aws:iam::123456789012:role/scan", java.util.List.of());
    CredentialRefs spoke =
        new CredentialRefs("arn:s", "v", "US1", AuthKind.ACCESS_TOKEN, "arn:aws:iam::210987654321:role/spoke");

    assertThatThrownBy(() -> sut.forTarget("s", TestSupport.zipTarget("fn"), spoke, Duration.ofMinutes(5)))
        .isInstanceOf(TerminalException.class);
  }
}
