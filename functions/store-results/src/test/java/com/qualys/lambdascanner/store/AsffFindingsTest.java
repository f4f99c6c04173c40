package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsffFindingsTest {

  private static final Target TARGET = new Target("aws", "123456789012", "us-east-1", "orders-api",
      "arn:aws:lambda:us-east-1:123456789012:function:orders-api", "$LATEST", PackageType.ZIP, "java21",
      List.of("arm64"), "q5Yb1dY9r0gU7bQ0m7lqz8h3Kx4d2rV8c1sT6nJ0pWk=", null, null,
      List.of(new Layer("arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:4", "Zk2p")), "Active");
  private static final Finding LOG4SHELL = new Finding("376657", List.of("CVE-2021-44228", "CVE-2021-45046"), 5,
      "Apache Log4j RCE (Log4Shell)", "org.apache.logging.log4j:log4j-core", "2.14.1", "2.17.1", null, null);

  @Test
  void id_whenRescannedLater_expectSameIdWithoutTime() {
    String first = AsffFindings.finding(TARGET, LOG4SHELL, "ACTIVE", Instant.parse("2026-11-27T13:03:05Z"), "s1")
        .get("Id").asText();
    String later = AsffFindings.finding(TARGET, LOG4SHELL, "ACTIVE", Instant.parse("2026-12-01T09:00:00Z"), "s2")
        .get("Id").asText();

    assertThat(later).isEqualTo(first).startsWith(TARGET.functionArn() + "/qualys/qid/376657/package/")
        .doesNotContain("2026");
  }

  @Test
  void id_whenSameQidInAnotherPackage_expectAnotherFinding() {
    Finding other =
        new Finding("376657", List.of(), 5, "t", "org.apache.logging.log4j:log4j-api", "2.14.1", null, null, null);

    assertThat(AsffFindings.id(TARGET, other)).isNotEqualTo(AsffFindings.id(TARGET, LOG4SHELL));
  }

  @Test
  void finding_whenMapped_expectRequiredFieldsVulnerabilityAndLambdaResource() {
    Instant at = Instant.parse("2026-11-27T13:03:05Z");

    JsonNode f = AsffFindings.finding(TARGET, LOG4SHELL, "ACTIVE", at, "scan-1");

    assertThat(f.get("SchemaVersion").asText()).isEqualTo("2018-10-08");
    assertThat(f.get("ProductArn").asText())
        .isEqualTo("arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default");
    assertThat(f.get("AwsAccountId").asText()).isEqualTo("123456789012");
    assertThat(f.get("GeneratorId").asText()).isEqualTo("qualys-lambda-scanner/qid/376657");
    assertThat(f.get("Types").get(0).asText()).isEqualTo("Software and Configuration Checks/Vulnerabilities/CVE");
    assertThat(f.get("CreatedAt").asText()).isEqualTo(at.toString()).isEqualTo(f.get("UpdatedAt").asText());
    assertThat(f.get("Severity").get("Label").asText()).isEqualTo("CRITICAL");
    assertThat(f.get("RecordState").asText()).isEqualTo("ACTIVE");
    assertThat(f.get("FindingProviderFields").get("Severity")).isEqualTo(f.get("Severity"));
    assertThat(f.get("FindingProviderFields").get("Types")).isEqualTo(f.get("Types"));
    assertThat(f.get("Description").asText().length()).isLessThanOrEqualTo(1024);
    JsonNode v = f.get("Vulnerabilities").get(0);
    assertThat(v.get("Id").asText()).isEqualTo("CVE-2021-44228");
    assertThat(v.get("RelatedVulnerabilities").get(0).asText()).isEqualTo("CVE-2021-45046");
    assertThat(v.get("VulnerablePackages").get(0).get("Name").asText()).isEqualTo("org.apache.logging.log4j:log4j-core");
    assertThat(v.get("VulnerablePackages").get(0).get("Version").asText()).isEqualTo("2.14.1");
    assertThat(v.get("VulnerablePackages").get(0).get("FixedInVersion").asText()).isEqualTo("2.17.1");
    assertThat(v.get("FixAvailable").asText()).isEqualTo("YES");
    assertThat(v.get("Vendor").get("Name").asText()).isEqualTo("Qualys");
    JsonNode r = f.get("Resources").get(0);
    assertThat(r.get("Type").asText()).isEqualTo("AwsLambdaFunction");
    assertThat(r.get("Id").asText()).isEqualTo(TARGET.functionArn());
    JsonNode fn = r.get("Details").get("AwsLambdaFunction");
    assertThat(fn.get("FunctionName").asText()).isEqualTo("orders-api");
    assertThat(fn.get("CodeSha256").asText()).isEqualTo(TARGET.codeSha256());
    assertThat(fn.get("Runtime").asText()).isEqualTo("java21");
    assertThat(fn.get("PackageType").asText()).isEqualTo("Zip");
    assertThat(fn.get("Architectures").get(0).asText()).isEqualTo("arm64");
    assertThat(fn.get("Layers").get(0).get("Arn").asText()).isEqualTo(TARGET.layers().getFirst().arn());
  }

  @Test
  void finding_whenReportTextIsHostile_expectBoundedFieldsAndNoReportTextInId() {
    Finding hostile = new Finding("../../x\"}", List.of("not-a-cve", "CVE-2024-3094"), 9, "T".repeat(5000),
        "p".repeat(5000), "v".repeat(5000), null, null, null);

    JsonNode f = AsffFindings.finding(TARGET, hostile, "ARCHIVED", Instant.parse("2026-11-27T13:03:05Z"), "s");

    assertThat(f.get("Id").asText()).matches("[A-Za-z0-9:/_-]+").hasSizeLessThan(512);
    assertThat(f.get("Title").asText()).hasSizeLessThanOrEqualTo(256);
    assertThat(f.get("Description").asText()).hasSizeLessThanOrEqualTo(1024);
    assertThat(f.get("Severity").get("Label").asText()).isEqualTo("INFORMATIONAL");
    assertThat(f.get("Vulnerabilities").get(0).get("Id").asText()).isEqualTo("CVE-2024-3094");
    assertThat(f.get("Vulnerabilities").get(0).get("FixAvailable").asText()).isEqualTo("NO");
    assertThat(f.get("RecordState").asText()).isEqualTo("ARCHIVED");
  }
}
