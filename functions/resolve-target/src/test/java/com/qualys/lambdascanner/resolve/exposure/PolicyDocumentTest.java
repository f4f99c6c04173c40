package com.qualys.lambdascanner.resolve.exposure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyDocumentTest {

  private static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
      + "\"Resource\":\"*\"}}";

  @Test
  void parse_whenUrlEncodedAsIamReturnsIt_expectationDecodedOnce() throws Exception {
    String encoded = URLEncoder.encode(ADMIN, StandardCharsets.UTF_8).replace("+", "%20");

    PolicyDocument document = PolicyDocument.parse(encoded);

    assertThat(document.statements()).hasSize(1);
    assertThat(RolePolicyAnalysis.adminGrants(document, "p")).hasSize(1);
  }

  @Test
  void parse_whenEncodedTwice_expectationUnreadableNotDecodedAgain() {
    String twice = URLEncoder.encode(URLEncoder.encode(ADMIN, StandardCharsets.UTF_8), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> PolicyDocument.parse(twice)).isInstanceOf(PolicyDocument.Unreadable.class);
  }

  @Test
  void parse_whenHuge_expectationUnreadableNamingTheSize() {
    String huge = "{\"Statement\":[" + "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
        .repeat(2000) + "{}]}";

    assertThatThrownBy(() -> PolicyDocument.parse(huge)).isInstanceOf(PolicyDocument.Unreadable.class)
        .hasMessageContaining("characters");
  }

  @Test
  void parse_whenTooManyStatements_expectationUnreadable() {
    String many = "{\"Statement\":[" + "{},".repeat(PolicyDocument.MAX_STATEMENTS) + "{}]}";

    assertThatThrownBy(() -> PolicyDocument.parse(many)).isInstanceOf(PolicyDocument.Unreadable.class)
        .hasMessageContaining("statements");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not json", "%7B%22Statement", "[1,2]", "{\"Version\":\"2012-10-17\"}",
      "{\"Statement\":\"*\"}", "{\"Statement\":[\"*\"]}", "%E0%A4%A", "{\"Statement\":[{}]"})
  void parse_whenMalformed_expectationUnreadable(String text) {
    assertThatThrownBy(() -> PolicyDocument.parse(text)).isInstanceOf(PolicyDocument.Unreadable.class);
  }

  @Test
  void parse_whenNestedDeeply_expectationUnreadable() {
    String deep = "{\"Statement\":{\"Condition\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}}";

    assertThatThrownBy(() -> PolicyDocument.parse(deep)).isInstanceOf(PolicyDocument.Unreadable.class);
  }

  @Test
  void matches_whenIamWildcards_expectationGlobSemantics() {
    assertThat(PolicyDocument.matches("lambda:Invoke*", "lambda:InvokeFunctionUrl", true)).isTrue();
    assertThat(PolicyDocument.matches("lambda:?nvokeFunction", "lambda:InvokeFunction", true)).isTrue();
    assertThat(PolicyDocument.matches("lambda:Get*", "lambda:InvokeFunction", true)).isFalse();
    assertThat(PolicyDocument.matches("*", "", false)).isTrue();
    assertThat(PolicyDocument.matches("arn:aws:s3:::b", "arn:aws:S3:::b", false)).isFalse();
  }
}
