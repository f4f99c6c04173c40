package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Redactor;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void redact_whenTextHoldsAGivenSecret_masksEveryOccurrence() {
    Redactor sut = Redactor.of(List.of("qualys-token-0123456789"));

    String out = sut.redact("token=qualys-token-0123456789 again qualys-token-0123456789");

    assertThat(out).doesNotContain("qualys-token-0123456789").contains(Redactor.MASK);
  }

  @Test
  void redact_whenSecretsOverlap_leavesNoPrefixBehind() {
    Redactor sut = Redactor.of(List.of("abcdefgh", "abcdefgh-and-more"));

    assertThat(sut.redact("x abcdefgh-and-more y")).isEqualTo("x " + Redactor.MASK + " y");
  }

  @Test
  void redact_whenSecretIsTooShort_doesNotShredTheText() {
    Redactor sut = Redactor.of(List.of("a"));

    assertThat(sut.redact("a banana")).isEqualTo("a banana");
  }

  @Test
  void redact_whenTextHoldsAwsKeys_masksThem() {
    String text =
        "AKIAIOSFODNN7EXAMPLE ASIAXXXXXXXXXXXXXXXX aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            + " \"sessionToken\": \"FwoGZXIvYXdzEBYaDH\"";

    String out = Redactor.patternsOnly().redact(text);

    assertThat(out)
        .doesNotContain("AKIAIOSFODNN7EXAMPLE")
        .doesNotContain("ASIAXXXXXXXXXXXXXXXX")
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("FwoGZXIvYXdzEBYaDH");
  }

  @Test
  void redact_whenTextHoldsAPresignedUrl_masksItsCredentials() {
    String url =
        "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123/orders-api?"
            + "X-Amz-Security-Token=IQoJb3JpZ2luX2Vj&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=ASIA2EXAMPLE%2F20261127&X-Amz-Signature=8f2c1e0b9d";

    String out = Redactor.patternsOnly().redact(url);

    assertThat(out)
        .doesNotContain("IQoJb3JpZ2luX2Vj")
        .doesNotContain("8f2c1e0b9d")
        .doesNotContain("ASIA2EXAMPLE")
        .contains("X-Amz-Signature=" + Redactor.MASK);
  }

  @Test
  void redact_whenTextHoldsABearerTokenOrJwt_masksIt() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxdWFseXMifQ.c2lnbmF0dXJlLXZhbHVl";

    String out = Redactor.patternsOnly().redact("Authorization: Bearer " + jwt + " and " + jwt);

    assertThat(out).doesNotContain(jwt);
  }

  @Test
  void redact_whenTextIsNull_returnsNull() {
    assertThat(Redactor.patternsOnly().redact(null)).isNull();
  }
}
