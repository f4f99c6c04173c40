package com.qualys.lambdascanner.resolve.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RolePolicyAnalysisTest {

  private static java.util.List<String> grants(String statements) throws Exception {
    return RolePolicyAnalysis.adminGrants(
        PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"), "inline policy p");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"*:*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"*\"],\"Resource\":[\"arn:aws:s3:::b/*\",\"*\"]}",
      "{\"Effect\":\"Allow\",\"Action\":\"IAM:*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"i?m:*\",\"Resource\":\"arn:aws:iam::*:role/*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"sts:Assume*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"arn:aws:s3:::secret/*\"}",
      "{\"effect\":\"allow\",\"action\":\"*\",\"resource\":\"*\"}"})
  void adminGrants_whenWildcardOrAdmin_expectationFound(String statement) throws Exception {
    assertThat(grants(statement)).singleElement().asString().startsWith("inline policy p statement 1:");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::bucket/*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::123456789012:role/one\"}",
      "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}",
      "{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}"})
  void adminGrants_whenScoped_expectationNone(String statement) throws Exception {
    assertThat(grants(statement)).isEmpty();
  }

  @Test
  void adminGrants_whenSidGiven_expectationEvidenceNamesIt() throws Exception {
    assertThat(grants("{\"Sid\":\"Harmless\",\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}"))
        .containsExactly("inline policy p Sid Harmless: iam:* on any resource");
  }
}
