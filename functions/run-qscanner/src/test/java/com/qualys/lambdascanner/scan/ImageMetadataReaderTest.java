package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.QualysLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageMetadataReaderTest {

  private static final String SHA = "a".repeat(64);

  @TempDir Path dir;

  private QualysLocator read(String json) throws Exception {
    Path file = dir.resolve("x-ScanResult.json");
    Files.writeString(file, json);
    return ImageMetadataReader.read(file);
  }

  @Test
  void read_whenImageMetadataPresent_expectationRepoTagsAndImageId() throws Exception {
    QualysLocator locator = read("""
        {"QScannerVersion": "4.8", "Metadata": {"Options": {"RepoTags": ["not-this"]},
         "TargetMetadata": {"ImageMetadata": {"RepoTags": ["lambdascan:1764590000"], "ImageID": "sha256:%s"}}}}
        """.formatted(SHA));

    assertThat(locator.repoTags()).containsExactly("lambdascan:1764590000");
    assertThat(locator.imageId()).isEqualTo("sha256:" + SHA);
  }

  @Test
  void read_whenOnlyRepoDigests_expectationDigestAsImageId() throws Exception {
    QualysLocator locator = read("""
        {"Metadata": {"TargetMetadata": {"ImageMetadata": {"RepoDigests": ["repo@sha256:%s"]}}}}""".formatted(SHA));

    assertThat(locator.imageId()).isEqualTo("sha256:" + SHA);
    assertThat(locator.repoTags()).isEmpty();
  }

  @Test
  void read_whenValuesAreHostile_expectationDropped() throws Exception {
    QualysLocator locator = read("""
        {"Metadata": {"TargetMetadata": {"ImageMetadata": {
          "RepoTags": ["ok:1", "bad\\nnewline", "<script>", "%s"], "ImageID": "sha256:XYZ"}}}}"""
        .formatted("x".repeat(300)));

    assertThat(locator.repoTags()).containsExactly("ok:1");
    assertThat(locator.imageId()).isNull();
  }

  @Test
  void read_whenAbsentOrBroken_expectationNull() throws Exception {
    assertThat(read("{\"Metadata\": {}}")).isNull();
    assertThat(read("{\"Metadata\": {\"TargetMetadata\": {\"ImageMetadata\": {\"RepoTags\": [")).isNull();
    assertThat(read("[]")).isNull();
  }
}
