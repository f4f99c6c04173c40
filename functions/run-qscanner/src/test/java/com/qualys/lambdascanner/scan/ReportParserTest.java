package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.VulnerablePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportParserTest {

  @TempDir Path dir;

  private static final String JSON_REPORT =
      """
      {"SchemaVersion": 1, "Target": {"Name": "orders-api", "Version": "7"}, "Vulnerabilities": [
        {"QID": 379210, "CVEIDs": ["CVE-2023-32681"], "Title": "requests disclosure", "Severity": 3,
         "CustomerSeverity": 5, "CVSSv3": {"BaseScore": 6.1},
         "Software": [{"Name": "requests", "InstalledVersion": "2.25.0", "FixedVersion": "2.31.0"},
                      {"Name": "other", "InstalledVersion": "9", "FixedVersion": "10"}]},
        {"QID": 376657, "CVEIDs": ["CVE-2021-44228", "CVE-2021-45046"], "Title": "Log4Shell", "Severity": 5,
         "Software": [{"Name": "log4j-core", "InstalledVersion": "2.14.1", "FixedVersion": "2.17.1"}]},
        {"QID": 150045, "CVEIDs": [], "Title": "old urllib3", "Severity": 1,
         "Software": [{"Name": "urllib3", "InstalledVersion": "1.26.5", "FixedVersion": null}]}
      ]}
      """;

  @Test
  void parseReport_whenJsonReport_countsAndKeepsMostSevereFirst() throws IOException {
    Path file = write("abc-Report.json", JSON_REPORT);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).isNull();
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(1, 0, 1, 0, 1));
    assertThat(sut.topFindings())
        .extracting(Finding::qid)
        .containsExactly("376657", "379210", "150045");
    assertThat(sut.topFindings().getFirst())
        .isEqualTo(
            new Finding(
                "376657", List.of("CVE-2021-44228", "CVE-2021-45046"), 5, "Log4Shell", "log4j-core", "2.14.1",
                "2.17.1", null, List.of(new VulnerablePackage("log4j-core", "2.14.1", "2.17.1", null))));
    assertThat(sut.topFindings().get(1).packageName()).isEqualTo("requests");
    assertThat(sut.topFindings().get(1).packages())
        .containsExactly(
            new VulnerablePackage("requests", "2.25.0", "2.31.0", null),
            new VulnerablePackage("other", "9", "10", null));
  }

  @Test
  void parseReport_whenSarif_countsResultPropertiesNotRules() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "qscanner", "version": "4.8",
              "rules": [{"id": "QID-1", "properties": {"QID": 1, "Severity": 5}}]}},
             "results": [
              {"ruleId": "QID-2", "level": "error", "message": {"text": "x"},
               "properties": {"QID": 2, "Severity": 4, "CVEIDs": ["CVE-2020-1"], "Title": "t",
                              "Software": [{"Name": "p", "InstalledVersion": "1", "FixedVersion": "2"}]}},
              {"ruleId": "QID-3", "level": "note", "properties": {"QID": "3", "Severity": "2"}}]}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).isNull();
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(0, 1, 0, 1, 0));
    assertThat(sut.topFindings().getFirst())
        .isEqualTo(
            new Finding(
                "2", List.of("CVE-2020-1"), 4, "t", "p", "1", "2", null,
                List.of(new VulnerablePackage("p", "1", "2", null))));
  }

  @Test
  void parseReport_whenSarifAsQualysIntegrationsReadIt_mapsEveryProperty() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "qscanner", "rules": []}}, "results": [
              {"ruleId": "QID-376657", "level": "error", "message": {"text": "Log4Shell in log4j-core"},
               "properties": {"qid": 376657, "cves": ["CVE-2021-44228", "not-a-cve"], "severity": 5,
                              "cvssScore": 10.0, "packageName": "log4j-core", "installedVersion": "2.14.1",
                              "fixedVersion": "2.17.1"}}]}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).isNull();
    assertThat(sut.unmapped()).isZero();
    assertThat(sut.topFindings())
        .containsExactly(
            new Finding(
                "376657", List.of("CVE-2021-44228"), 5, "Log4Shell in log4j-core", "log4j-core", "2.14.1", "2.17.1",
                null, List.of(new VulnerablePackage("log4j-core", "2.14.1", "2.17.1", null))));
  }

  /** The layout qualys-jenkins' SarifParser reads (QScanner 4.8.0-2): CVEs, QDS and severity on the rules. */
  @Test
  void parseReport_whenSarifInJenkinsLayout_keepsRuleCvesQdsAndEveryPackage() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"version": "2.1.0", "runs": [{
              "properties": {"imageID": "sha256:abc", "repoTags": ["lambdascan:1"],
                             "layerInfo": [{"LayerContentHash": "sha256:l1", "Command": "COPY"}]},
              "tool": {"driver": {"name": "qscanner", "rules": [
                {"id": "376657", "shortDescription": {"text": "Apache Log4j RCE"},
                 "properties": {"severity": 5, "cve-ids": ["CVE-2021-44228", "CVE-2021-45046"], "qds": "100"}},
                {"id": "380712", "shortDescription": {"text": "jackson-databind DoS"},
                 "properties": {"customerSeverity": "4", "cve-ids": ["CVE-2020-36518"], "qds": "70.0"}},
                {"id": "150045", "properties": {"severity": 1, "qds": "not a score"}}]}},
              "results": [
                {"ruleId": "376657", "level": "error", "message": {"text": "Log4Shell"},
                 "properties": {"QID": 376657, "vulnerableSoftware": [
                   {"name": "log4j-core", "installedVersion": "2.14.1", "fixedVersion": "2.17.1",
                    "layerSHA": "sha256:l1"},
                   {"name": "log4j-api", "installedVersion": "2.14.1", "fixedVersion": "2.17.1",
                    "layerSHA": "sha256:l2"}]}},
                {"ruleId": "380712", "message": {"text": "jackson"},
                 "properties": {"QID": 380712, "vulnerableSoftware": [
                   {"name": "jackson-databind", "installedVersion": "2.12.0", "fixedVersion": "2.12.6.1"}]}},
                {"ruleId": "150045", "properties": {"QID": 150045}}]}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).isNull();
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(1, 1, 0, 0, 1));
    assertThat(sut.topFindings())
        .containsExactly(
            new Finding(
                "376657", List.of("CVE-2021-44228", "CVE-2021-45046"), 5, "Log4Shell", "log4j-core", "2.14.1",
                "2.17.1", 100,
                List.of(
                    new VulnerablePackage("log4j-core", "2.14.1", "2.17.1", "sha256:l1"),
                    new VulnerablePackage("log4j-api", "2.14.1", "2.17.1", "sha256:l2"))),
            new Finding(
                "380712", List.of("CVE-2020-36518"), 4, "jackson", "jackson-databind", "2.12.0", "2.12.6.1", 70,
                List.of(new VulnerablePackage("jackson-databind", "2.12.0", "2.12.6.1", null))),
            new Finding("150045", List.of(), 1, null, null, null, null, null, List.of()));
  }

  @Test
  void parseReport_whenSarifResultHasNoSeverityAndItsRuleNone_unmappedIsAProblem() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"runs": [{"tool": {"driver": {"rules": [{"id": "1", "properties": {"cve-ids": ["CVE-2020-1"],
                                                                              "qds": "40"}}]}},
              "results": [{"ruleId": "1", "properties": {"QID": 1, "vulnerableSoftware": [{"name": "p"}]}}]}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.findings()).isZero();
    assertThat(sut.unmapped()).isEqualTo(1);
    assertThat(sut.problem()).contains("1 of 1 results the parser could not map");
  }

  @Test
  void parseReport_whenSarifSeverityOnlyOnTheRuleListedAfterTheResults_usesTheRule() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"runs": [{"results": [
                {"ruleId": "QID-10", "message": {"text": "a"}, "properties": {"qid": 10}},
                {"ruleIndex": 1, "message": {"text": "b"}, "properties": {"qid": 11}},
                {"ruleId": "QID-12", "level": "warning", "message": {"text": "c"}}],
              "tool": {"driver": {"rules": [{"id": "QID-10", "properties": {"severity": 4}},
                                            {"id": "QID-11", "properties": {"severity": "2"}}]}}}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).isNull();
    // QID-10 through its rule id, QID-11 through its rule index, QID-12 (no rule severity) through its level.
    assertThat(sut.counts()).isEqualTo(new SeverityCounts(0, 1, 1, 1, 0));
    assertThat(sut.topFindings()).extracting(Finding::qid).containsExactly("10", "12", "11");
  }

  @Test
  void parseReport_whenSarifResultsCarryNoSeverityAnywhere_unmappedIsAProblem() throws IOException {
    Path file =
        write(
            "abc-Report.sarif.json",
            """
            {"runs": [{"tool": {"driver": {"rules": [{"id": "QID-1", "properties": {"risk": "HIGH"}}]}},
              "results": [
                {"ruleId": "QID-1", "message": {"text": "no level, no severity"}, "properties": {"risk": "HIGH"}},
                {"ruleId": "QID-2", "properties": {"severity": 9}},
                {"ruleId": "QID-3", "properties": {"severity": "high"}, "level": "critical"},
                {"level": "error", "message": {"text": "no rule id, no qid"}},
                "not an object",
                {"ruleId": "QID-4", "level": "error"}]}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.findings()).isEqualTo(1);
    assertThat(sut.unmapped()).isEqualTo(5);
    assertThat(sut.problem()).contains("abc-Report.sarif.json holds 5 of 6 results the parser could not map");
  }

  @Test
  void parseReport_whenSarifShapeUnknown_problemNotACleanScan() throws IOException {
    assertThat(ReportParser.parseReport(write("a-Report.sarif.json", "{\"version\": \"2.1.0\"}")).problem())
        .contains("no runs[] array");
    assertThat(ReportParser.parseReport(write("b-Report.sarif.json", "[{\"runs\": []}]")).problem())
        .contains("not a SARIF object");
    assertThat(ReportParser.parseReport(write("c-Report.sarif.json", "{\"runs\": [{\"tool\": {}}]}")).problem())
        .contains("run [0] has no results array");
    assertThat(ReportParser.parseReport(write("d-Report.sarif.json", "{\"runs\": [{\"results\": [")).problem())
        .contains("unreadable");
    assertThat(ReportParser.parseReport(
            write("e-Report.sarif.json", "{\"runs\": [1, {\"results\": [{\"properties\": {}}]}]}")).problem())
        .contains("runs[0] that is not an object");
    assertThat(ReportParser.parseReport(write("f-Report.sarif.json", "{\"runs\": [{\"results\": {}}]}")).problem())
        .contains("has no results array");
  }

  @Test
  void parseReport_whenSarifHasNoResults_cleanWithoutProblem() throws IOException {
    ReportParser.ReportSummary sut =
        ReportParser.parseReport(write("a-Report.sarif.json", "{\"runs\": [{\"tool\": {}, \"results\": []}]}"));

    assertThat(sut.problem()).isNull();
    assertThat(sut.counts()).isEqualTo(SeverityCounts.NONE);
  }

  @Test
  void parseReport_whenJsonReportInAnUnknownShape_unmappedIsAProblem() throws IOException {
    Path file =
        write(
            "abc-Report.json",
            """
            {"SchemaVersion": 3, "Results": [
              {"Id": "QID-1", "Risk": "HIGH", "Package": {"Name": "a"}},
              {"QID": 2, "Severity": 4},
              {"Nested": {"QID": 3, "Severity": 2}}]}
            """);

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.findings()).isEqualTo(2);
    assertThat(sut.unmapped()).isEqualTo(1);
    assertThat(sut.problem()).contains("holds 1 of 3 results the parser could not map");
  }

  @Test
  void parseReport_whenJsonReportHasNoVulnerabilities_cleanWithoutProblem() throws IOException {
    ReportParser.ReportSummary sut =
        ReportParser.parseReport(write("abc-Report.json", "{\"SchemaVersion\": 1, \"Vulnerabilities\": []}"));

    assertThat(sut.problem()).isNull();
    assertThat(sut.findings()).isZero();
  }

  @Test
  void parseReport_whenMoreFindingsThanTheBound_keepsTheTenMostSevere() throws IOException {
    StringBuilder json = new StringBuilder("{\"Vulnerabilities\": [");
    for (int i = 0; i < 500; i++) {
      json.append(i == 0 ? "" : ",").append("{\"QID\": ").append(1000 + i).append(", \"Severity\": ")
          .append(i == 321 ? 5 : 1 + i % 4).append("}");
    }
    Path file = write("x-Report.json", json.append("]}").toString());

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.findings()).isEqualTo(500);
    assertThat(sut.topFindings()).hasSize(ReportParser.TOP_FINDINGS);
    assertThat(sut.topFindings().getFirst().qid()).isEqualTo("1321");
    assertThat(sut.topFindings()).extracting(Finding::severity).containsOnly(5, 4);
  }

  @Test
  void parseReport_whenTruncated_reportsProblemAndKeepsWhatWasRead() throws IOException {
    Path file = write("x-Report.json", JSON_REPORT.substring(0, JSON_REPORT.indexOf("{\"QID\": 150045") + 12));

    ReportParser.ReportSummary sut = ReportParser.parseReport(file);

    assertThat(sut.problem()).contains("x-Report.json").contains("after 2 findings");
    assertThat(sut.counts().total()).isEqualTo(2);
  }

  @Test
  void parseReport_whenNotJson_reportsProblem() throws IOException {
    assertThat(ReportParser.parseReport(write("x-Report.json", "<html>502 Bad Gateway</html>")).problem())
        .isNotNull();
    assertThat(ReportParser.parseReport(write("y-Report.json", "")).problem()).contains("empty");
  }

  @Test
  void parseReport_whenFileMissing_reportsProblem() {
    assertThat(ReportParser.parseReport(dir.resolve("missing-Report.json")).problem()).contains("unreadable");
  }

  @Test
  void parseScanResult_whenValid_readsVersionScansAndSecrets() throws IOException {
    Path file =
        write(
            "abc_ScanResult.json",
            """
            {"SchemaVersion": 2, "QScannerVersion": "4.8.0",
             "ScansPerformed": [{"ScanType": "pkg", "Status": "success"}, {"ScanType": "secret", "Status": "success"}],
             "Metadata": {"Options": {"QScannerVersion": "nested-not-this"}},
             "SecretResults": [{"Target": "a", "Secrets": [{"RuleID": "r1"}, {"RuleID": "r2"}]},
                               {"Target": "b", "Secrets": [{"RuleID": "r3"}]}]}
            """);

    ReportParser.ScanResultSummary sut = ReportParser.parseScanResult(file);

    assertThat(sut).isEqualTo(new ReportParser.ScanResultSummary("4.8.0", 2, 3, null));
  }

  @Test
  void parseScanResult_whenInvalid_reportsProblem() throws IOException {
    assertThat(ReportParser.parseScanResult(write("a-ScanResult.json", "{\"QScannerVersion\": ")).problem())
        .contains("a-ScanResult.json");
  }

  @Test
  void find_whenUnderscoreOrHyphenNamed_findsBoth() throws IOException {
    write("abc_ScanResult.json", "{}");
    write("abc-Report.json", "{}");
    write("abc-Report.sarif.json", "{}");

    assertThat(ReportParser.find(dir, "ScanResult.json")).contains(dir.resolve("abc_ScanResult.json"));
    assertThat(ReportParser.find(dir, "Report.json")).contains(dir.resolve("abc-Report.json"));
    assertThat(ReportParser.find(dir, "Report.sarif.json")).contains(dir.resolve("abc-Report.sarif.json"));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
