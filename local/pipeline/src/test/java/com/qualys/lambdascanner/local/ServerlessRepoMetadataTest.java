package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's {@code AWS::ServerlessRepo::Application} metadata, which {@code make publish} (sam publish) sends to
 * the Serverless Application Repository: the fields SAR requires, within its documented patterns and lengths, the
 * project's one version, and local README and licence files for sam package to upload. cfn-lint runs in TemplateIT.
 */
class ServerlessRepoMetadataTest {

  private static final Path ROOT = Samples.projectRoot();

  private static Map<String, Object> application() {
    Map<String, Object> metadata = Template.map(Template.read(ROOT.resolve("template.yaml")).root().get("Metadata"));
    return Template.map(metadata.get("AWS::ServerlessRepo::Application"));
  }

  /** The root pom.xml's own version (the one version source), without the -SNAPSHOT of a development build. */
  private static String projectVersion() throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var project = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
    var children = project.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if ("version".equals(children.item(i).getNodeName())) {
        return children.item(i).getTextContent().strip().replaceFirst("-SNAPSHOT$", "");
      }
    }
    throw new AssertionError("pom.xml has no <version>");
  }

  @Test
  void semanticVersion_whenComparedWithThePom_expectationTheProjectsVersion() throws Exception {
    String version = String.valueOf(application().get("SemanticVersion"));

    assertThat(version).isEqualTo(projectVersion())
        .matches("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$");
  }

  @Test
  void metadata_whenRead_expectationSarsRequiredFieldsWithinItsPatterns() {
    Map<String, Object> application = application();

    assertThat(String.valueOf(application.get("Name"))).matches("[a-zA-Z0-9-]{1,140}");
    assertThat(String.valueOf(application.get("Description"))).isNotBlank().hasSizeLessThanOrEqualTo(256);
    assertThat(String.valueOf(application.get("Author"))).hasSizeLessThanOrEqualTo(127)
        .matches("^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$");
    List<?> labels = (List<?>) application.get("Labels");
    assertThat(labels).isNotEmpty().hasSizeLessThanOrEqualTo(10)
        .allSatisfy(l -> assertThat(String.valueOf(l)).matches("^[a-zA-Z0-9+\\-_:/@]{1,127}$"));
    assertThat(String.valueOf(application.get("HomePageUrl"))).startsWith("https://");
    assertThat(String.valueOf(application.get("SourceCodeUrl"))).startsWith("https://");
    assertThat(application.values()).as("SAR reads the metadata as data: no intrinsic function")
        .noneMatch(v -> v instanceof Map<?, ?>);
  }

  @Test
  void licence_whenSpdxIdGiven_expectationTheLicenceFileIsThatLicenceAndThePomsToo() throws Exception {
    Map<String, Object> application = application();
    Path licence = ROOT.resolve(String.valueOf(application.get("LicenseUrl")));
    Path readme = ROOT.resolve(String.valueOf(application.get("ReadmeUrl")));

    assertThat(application.get("SpdxLicenseId")).isEqualTo("Apache-2.0");
    assertThat(licence).isRegularFile();
    assertThat(Files.readString(licence)).contains("Apache License", "Version 2.0, January 2004");
    assertThat(Files.size(licence)).isLessThan(5L * 1024 * 1024);
    assertThat(readme).isRegularFile();
    assertThat(Files.size(readme)).as("SAR's limit").isLessThan(5L * 1024 * 1024);
    Matcher pomLicence = Pattern.compile("<license>\\s*<name>([^<]+)</name>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(pomLicence.find()).isTrue();
    assertThat(pomLicence.group(1)).isEqualTo(application.get("SpdxLicenseId"));
  }
}
