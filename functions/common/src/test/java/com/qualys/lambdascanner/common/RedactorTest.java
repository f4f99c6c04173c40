package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void redact_whenTextHoldsAGivenSecret_masksEveryOccurrence() {
    Redactor sut = Redactor.of(List.of(new Secret("qualys-token", "qualys-token-0123456789")));

    String out = sut.redact("token=qualys-token-0123456789 again qualys-token-0123456789");

    assertThat(out).isEqualTo("[REDACTED:qualys-token:plain] again [REDACTED:qualys-token:plain]");
  }

  @Test
  void redact_whenSecretEncoded_saysWhatWasRemovedAndHow() {
    String token = "eyJhbGciOi.qualys+Tok3n/0123456789";
    Redactor sut = Redactor.of(List.of(new Secret("qualys-token", token)));
    String base64 = java.util.Base64.getEncoder().encodeToString(("x" + token).getBytes());

    String out = sut.redact("{\"a\": \"" + base64.replace("/", "\\/") + "\", \"b\": 1}");

    assertThat(out).isEqualTo("{\"a\": \"[REDACTED:qualys-token:base64]\", \"b\": 1}");
  }

  @Test
  void redact_whenSecretsOverlap_leavesNoPrefixBehind() {
    Redactor sut = Redactor.of(List.of(new Secret("a", "abcdefgh"), new Secret("b", "abcdefgh-and-more")));

    assertThat(sut.redact("x abcdefgh-and-more y")).startsWith("x [REDACTED:").endsWith(":plain] y");
  }

  @Test
  void redact_whenSecretIsTooShort_doesNotShredTheText() {
    Redactor sut = Redactor.of(List.of(new Secret("a", "a")));

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

  @Test
  void redact_whenAPresignedUrlIsPercentEncoded_masksItsSignature() {
    String url = "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123/fn?X-Amz-Security-Token="
        + "IQoJb3JpZ2luX2VjEFo&X-Amz-Credential=ASIAXXXX%2F20261207&X-Amz-Signature=0123456789abcdef0123456789abcdef";

    String out = Redactor.patternsOnly().redact("next=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8));

    assertThat(out).isEqualTo("[REDACTED:presigned-url:percent]").doesNotContain("0123456789abcdef");
  }
}
