package com.qualys.lambdascanner.resolve.exposure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcePolicyAnalysisTest {

  private static final String OWN = "123456789012";

  private static ResourcePolicyAnalysis.Result analyze(String statements) throws Exception {
    return ResourcePolicyAnalysis.analyze(
        PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"), OWN);
  }

  @Test
  void analyze_whenStarPrincipalWithoutCondition_expectationPublicWithSid() throws Exception {
    var result = analyze("""
        {"Sid":"open","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}""");

    assertThat(result.publicGrants()).singleElement().asString().contains("Sid open").contains("*");
    assertThat(result.crossAccountGrants()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // {"AWS": "*"} hidden in a list among harmless principals
      """
      {"Sid":"looks-internal","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},\
      "Action":"lambda:InvokeFunction"}""",
      // NotPrincipal with Allow: everyone but the named one
      """
      {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"lambda:InvokeFunction"}""",
      // lambda:* and Invoke* cover invoking
      """
      {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"lambda:*"}""",
      """
      {"Effect":"Allow","Principal":{"AWS":"*"},"Action":["lambda:GetFunction","lambda:Invoke*"]}""",
      // NotAction that does not exclude invoking
      """
      {"Effect":"Allow","Principal":"*","NotAction":"lambda:DeleteFunction"}""",
      // element names and effect in odd case
      """
      {"effect":"allow","principal":"*","action":"LAMBDA:INVOKEFUNCTIONURL"}""",
      // a wildcard in the account of an ARN principal
      """
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"lambda:InvokeFunction"}""",
      // a service principal without a source condition: any account's bucket
      """
      {"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction"}""",
      // StringLike with * restricts nothing
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"StringLike":{"aws:SourceAccount":"*"}}}""",
      // an ARN condition with a wildcard account
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:*:topic"}}}""",
      // IfExists binds nothing when the key is absent; ForAllValues passes an empty set
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"}}}""",
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}""",
      // a negated operator does not restrict to the account
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"StringNotEquals":{"aws:SourceAccount":"999999999999"}}}""",
      // a condition that only says the URL has no auth
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl",\
      "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}"""})
  void analyze_whenCraftedToLookHarmless_expectationPublic(String statement) throws Exception {
    assertThat(analyze(statement).publicGrants()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"}}}""",
      """
      {"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",\
      "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket"},\
      "StringEquals":{"AWS:SourceAccount":"123456789012"}}}""",
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}""",
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction",\
      "Condition":{"stringequals":{"AWS:SOURCEVPC":"vpc-0abc"}}}""",
      """
      {"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction",\
      "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/r"}}}""",
      """
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/caller"},"Action":"lambda:*"}""",
      """
      {"Effect":"Deny","Principal":"*","Action":"lambda:InvokeFunction"}""",
      """
      {"Effect":"Allow","Principal":"*","Action":"lambda:GetFunction"}""",
      """
      {"Effect":"Allow","Principal":"*","NotAction":"lambda:Invoke*"}"""})
  void analyze_whenRestrictedToOwnAccountOrOrgOrNotInvoke_expectationNothing(String statement) throws Exception {
    var result = analyze(statement);

    assertThat(result.publicGrants()).isEmpty();
    assertThat(result.crossAccountGrants()).isEmpty();
  }

  @Test
  void analyze_whenAnotherAccountNamed_expectationCrossAccountNotPublic() throws Exception {
    var result = analyze("""
        {"Sid":"partner","Effect":"Allow","Principal":"210987654321","Action":"lambda:InvokeFunction"},
        {"Sid":"bucket","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",
         "Condition":{"StringEquals":{"AWS:SourceAccount":"310987654321"}}}""");

    assertThat(result.publicGrants()).isEmpty();
    assertThat(result.crossAccountGrants()).hasSize(2);
    assertThat(result.crossAccountGrants().get(0)).contains("Sid partner").contains("210987654321");
    assertThat(result.crossAccountGrants().get(1)).contains("Sid bucket").contains("310987654321");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"Effect\":\"Allow\",\"Principal\":42,\"Action\":\"lambda:InvokeFunction\"}",
      "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\",{\"x\":1}]},\"Action\":\"lambda:InvokeFunction\"}",
      "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":{\"a\":\"lambda:InvokeFunction\"}}",
      "{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\"}",
      "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunction\",\"Condition\":\"yes\"}"})
  void analyze_whenStatementMalformed_expectationUnreadable(String statement) {
    assertThatThrownBy(() -> analyze(statement)).isInstanceOf(PolicyDocument.Unreadable.class);
  }
}
