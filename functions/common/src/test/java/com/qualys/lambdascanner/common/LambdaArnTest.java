package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LambdaArnTest {

  @Test
  void parse_whenArnIsVersionQualified_keepsTheVersion() {
    LambdaArn sut = LambdaArn.parse("arn:aws:lambda:us-east-1:123456789012:function:orders-api:7");

    assertThat(sut.functionName()).isEqualTo("orders-api");
    assertThat(sut.qualifier()).isEqualTo("7");
    assertThat(sut.unqualified()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders-api");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f_1",
        "arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST",
        "arn:aws:lambda:ap-southeast-2:123456789012:function:f:live"
      })
  void parse_whenArnIsValidInAnyPartition_accepts(String arn) {
    assertThat(LambdaArn.parse(arn).toString()).isEqualTo(arn);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "orders-api",
        "arn:aws:lambda:us-east-1:12345678901:function:f",
        "arn:aws:lambda:us-east-1:123456789012:function:a;rm -rf /",
        "arn:aws:lambda:us-east-1:123456789012:function:../../x",
        "arn:aws:s3:::bucket",
        "arn:azure:lambda:us-east-1:123456789012:function:f",
        "arn:aws:lambda:us-east-1:123456789012:layer:l:1",
        "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
        "arn:aws:lambda:us-east-1:123456789012:function:f:12345678901",
        "arn:aws:lambda:us-east-1:123456789012:function:ｆ"
      })
  void parse_whenArnIsMalformed_throwsInvalidInput(String arn) {
    assertThatThrownBy(() -> LambdaArn.parse(arn)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void parse_whenArnIsHuge_throwsWithoutEchoingIt() {
    String huge = "arn:aws:lambda:us-east-1:123456789012:function:" + "x".repeat(100_000);

    assertThatThrownBy(() -> LambdaArn.parse(huge))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageNotContaining("xxxxxxxxxx");
  }

  @Test
  void parse_whenNull_throwsInvalidInput() {
    assertThatThrownBy(() -> LambdaArn.parse(null)).isInstanceOf(InvalidInputException.class);
  }
}
