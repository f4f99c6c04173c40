package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** template.yaml read as data, CloudFormation's short-form tags included. */
class TemplateTest {

  @TempDir
  Path dir;

  private Template read(String yaml) throws Exception {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, yaml);
    return Template.read(file);
  }

  @Test
  void read_whenShortFormTags_expectationLongFormData() throws Exception {
    Template template = read("""
        Globals:
          Function:
            Timeout: 60
            MemorySize: 1024
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: com.example.Handler::handleRequest
              Timeout: 30
              Environment:
                Variables:
                  BUCKET: !Ref Bucket
                  ARN: !GetAtt Bucket.Arn
                  NAME: !Sub ${AWS::StackName}-x
                  PICK: !If [Cond, !Ref A, !Ref AWS::NoValue]
        """);

    assertThat(template.handler("Fn")).hasValue("com.example.Handler::handleRequest");
    assertThat(template.intProperty("Fn", "Timeout")).hasValue(30);
    assertThat(template.intProperty("Fn", "MemorySize")).as("from Globals").hasValue(1024);
    Map<String, Object> variables = Template.map(Template.map(template.properties("Fn").get("Environment"))
        .get("Variables"));
    assertThat(variables.get("BUCKET")).isEqualTo(Map.of("Ref", "Bucket"));
    assertThat(variables.get("ARN")).isEqualTo(Map.of("Fn::GetAtt", List.of("Bucket", "Arn")));
    assertThat(variables.get("NAME")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-x"));
    assertThat(variables.get("PICK")).isEqualTo(
        Map.of("Fn::If", List.of("Cond", Map.of("Ref", "A"), Map.of("Ref", "AWS::NoValue"))));
  }

  @Test
  void environmentVariable_whenSetInGlobalsAndOnTheFunction_expectationTheFunctionsOwnOverGlobals() throws Exception {
    Template template = read("""
        Globals:
          Function:
            Environment:
              Variables:
                JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1
                SHARED: from-globals
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Environment:
                Variables:
                  SHARED: own
                  REF: !Ref Bucket
        """);

    assertThat(template.environmentVariable("Fn", "JAVA_TOOL_OPTIONS")).hasValue("-XX:TieredStopAtLevel=1");
    assertThat(template.environmentVariable("Fn", "SHARED")).hasValue("own");
    assertThat(template.environmentVariable("Fn", "REF")).as("not a literal").isEmpty();
    assertThat(template.environmentVariable("Fn", "MISSING")).isEmpty();
  }

  @Test
  void snapStartEnabled_whenTheTemplateMakesItConditionalOnTheRegion_expectationTheLocalRunPrimesAsWhereOffered() {
    Template template = Template.find(Samples.projectRoot()).orElseThrow();

    assertThat(SnapStart.enabled(template, "ResolveTargetFunction")).as("Globals: PublishedVersions").isTrue();
    assertThat(SnapStart.enabled(template, "StoreResultsFunction")).isTrue();
    assertThat(SnapStart.enabled(template, "RunQScannerFunction")).as("its own ApplyOn: None").isFalse();
  }

  @Test
  void handler_whenResourceMissing_expectationEmpty() throws Exception {
    Template template = read("Resources: {}\n");

    assertThat(template.handler("Nope")).isEmpty();
    assertThat(template.intProperty("Nope", "Timeout")).isEmpty();
  }
}
