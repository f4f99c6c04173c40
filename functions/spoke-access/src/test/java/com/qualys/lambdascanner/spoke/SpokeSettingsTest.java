package com.qualys.lambdascanner.spoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPOKE_ROLE_NAME and SPOKE_EXTERNAL_ID, as the three functions' Config tests checked them each. */
class SpokeSettingsTest {

  private static final String EXTERNAL_ID = "3f1c9a0e5b7d2468ace13579";

  @Test
  void from_whenSpokeVariablesEmpty_isSingleAccountMode() {
    SpokeSettings sut = SpokeSettings.from(Env.of(Map.of("SPOKE_ROLE_NAME", "", "SPOKE_EXTERNAL_ID", "")));

    assertThat(sut.hubMode()).isFalse();
    assertThat(sut.roleName()).isNull();
    assertThat(sut.externalId()).isNull();
    assertThat(sut).isEqualTo(SpokeSettings.SINGLE_ACCOUNT);
  }

  @Test
  void from_whenSpokeRoleAndExternalIdSet_isHubMode() {
    SpokeSettings sut =
        SpokeSettings.from(
            Env.of(Map.of("SPOKE_ROLE_NAME", "qualys-lambda-scanner-spoke", "SPOKE_EXTERNAL_ID", EXTERNAL_ID)));

    assertThat(sut.hubMode()).isTrue();
    assertThat(sut.roleName()).isEqualTo("qualys-lambda-scanner-spoke");
    assertThat(sut.externalId()).isEqualTo(EXTERNAL_ID);
  }

  @Test
  void from_whenSpokeRoleSetWithoutExternalId_isTerminal() {
    assertThatThrownBy(() -> SpokeSettings.from(Env.of(Map.of("SPOKE_ROLE_NAME", "spoke"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("SPOKE_EXTERNAL_ID");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "path/qualys-lambda-scanner-spoke", "has space"})
  void from_whenSpokeRoleNameInvalidOrHasAPath_isTerminal(String roleName) {
    assertThatThrownBy(
            () -> SpokeSettings.from(Env.of(Map.of("SPOKE_ROLE_NAME", roleName, "SPOKE_EXTERNAL_ID", "abc"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("SPOKE_ROLE_NAME");
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "has spaces in it"})
  void from_whenExternalIdInvalid_isTerminalWithoutEchoingIt(String externalId) {
    assertThatThrownBy(
            () -> SpokeSettings.from(Env.of(Map.of("SPOKE_ROLE_NAME", "spoke", "SPOKE_EXTERNAL_ID", externalId))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("SPOKE_EXTERNAL_ID")
        .hasMessageNotContaining(externalId);
  }

  @Test
  void toString_whenHubMode_externalIdMasked() {
    assertThat(new SpokeSettings("spoke", EXTERNAL_ID).toString()).contains("spoke").doesNotContain(EXTERNAL_ID);
  }
}
