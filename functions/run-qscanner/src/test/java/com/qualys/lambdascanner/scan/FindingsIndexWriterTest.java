package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingsIndexWriterTest {

  @TempDir Path dir;

  @Test
  void write_whenJenkinsLayoutSarif_everyPackageAndTheQdsReachTheIndex() throws IOException {
    Path report = Files.writeString(dir.resolve("abc-Report.sarif.json"), """
        {"runs": [{"tool": {"driver": {"rules": [
            {"id": "376657", "properties": {"severity": 5, "cve-ids": ["CVE-2021-44228"], "qds": "100"}}]}},
          "results": [{"ruleId": "376657", "properties": {"QID": 376657, "vulnerableSoftware": [
            {"name": "log4j-core", "installedVersion": "2.14.1", "fixedVersion": "2.17.1", "layerSHA": "sha256:a"},
            {"name": "log4j-api", "installedVersion": "2.14.1", "fixedVersion": "2.17.1", "layerSHA": "sha256:b"}]}}]}]}
        """);
    List<Finding> every = new ArrayList<>();
    ReportParser.parseReport(report, every::add);

    Path index = FindingsIndexWriter.write(Files.createDirectories(dir.resolve("upload")), every);

    FindingsIndex read = new ObjectMapper().readValue(index.toFile(), FindingsIndex.class);
    assertThat(read.findings()).singleElement().satisfies(f -> {
      assertThat(f.cves()).containsExactly("CVE-2021-44228");
      assertThat(f.qds()).isEqualTo(100);
      assertThat(f.packages()).extracting(p -> p.name() + "@" + p.layerSha())
          .containsExactly("log4j-core@sha256:a", "log4j-api@sha256:b");
    });
  }
}
