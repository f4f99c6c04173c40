package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.AuthKind;
import com.qualys.lambdascanner.common.model.CredentialRefs;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class OwnRoleCredentialsTest {

  private final AwsBasicCredentials own = AwsBasicCredentials.create("AKIAOWNOWNOWNOWNOWN1", "own-secret-key-1");
  private final OwnRoleCredentials sut = new OwnRoleCredentials(StaticCredentialsProvider.create(own));

  @Test
  void forTarget_whenNoRoleArn_theProvidersCredentials() {
    CredentialRefs refs = new CredentialRefs("arn:s", "v", "US1", AuthKind.ACCESS_TOKEN, null);

    assertThat(sut.forTarget("s", TestSupport.zipTarget("fn"), refs, Duration.ofMinutes(5))).isEqualTo(own);
  }

  @Test
  void forTarget_whenRoleArnGiven_terminalRatherThanTheWrongIdentity() {
    CredentialRefs refs =
        new CredentialRefs("arn:s", "v", "US1", AuthKind.ACCESS_TOKEN, "arn:aws:iam::210987654321:role/spoke");

    assertThatThrownBy(() -> sut.forTarget("s", TestSupport.zipTarget("fn"), refs, Duration.ofMinutes(5)))
        .isInstanceOf(TerminalException.class);
  }
}
