package com.qualys.lambdascanner.resolve.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.ExposureFact.Answer;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.testing.Events;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RuntimeDeprecationsTest {

  private final RuntimeDeprecations published = RuntimeDeprecations.published();

  @Test
  void published_whenTemplatesOwnRuntimes_expectationEachKnownAndSupportedBeyondTheHorizon() throws Exception {
    String template = Files.readString(Events.root().resolve("template.yaml"));
    Set<String> runtimes = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\s+Runtime:\\s*(\\S+)\\s*$").matcher(template);
    while (m.find()) {
      runtimes.add(m.group(1));
    }
    assertThat(runtimes).as("the template's functions' runtimes").contains("java25");

    LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
    for (String runtime : runtimes) {
      var fact = published.fact(runtime, PackageType.ZIP, today);
      assertThat(fact.answer()).as(runtime + ": " + fact.reason()).isEqualTo(Answer.NO);
    }
  }

  @Test
  void published_whenLoaded_expectationSourceAndDatesOfAwsPage() {
    assertThat(published.dates()).containsEntry("java25", LocalDate.parse("2029-06-30"))
        .containsEntry("python3.9", LocalDate.parse("2025-12-15"))
        .containsEntry("nodejs20.x", LocalDate.parse("2026-04-30"))
        .hasSizeGreaterThan(40);
    assertThat(published.fact("python3.9", PackageType.ZIP, LocalDate.parse("2026-01-01")).evidence())
        .singleElement().asString().contains("docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html");
  }

  @Test
  void fact_whenDeprecated_expectationYes() {
    var fact = published.fact("python3.9", PackageType.ZIP, LocalDate.parse("2026-01-01"));

    assertThat(fact.answer()).isEqualTo(Answer.YES);
    assertThat(fact.reason()).contains("deprecated since 2025-12-15");
  }

  @Test
  void fact_whenDeprecationWithinNinetyDays_expectationYes() {
    LocalDate today = LocalDate.parse("2029-06-30").minusDays(RuntimeDeprecations.HORIZON_DAYS);

    var fact = published.fact("java25", PackageType.ZIP, today);

    assertThat(fact.answer()).isEqualTo(Answer.YES);
    assertThat(fact.reason()).contains("within 90 days");
    assertThat(published.fact("java25", PackageType.ZIP, today.minusDays(1)).answer()).isEqualTo(Answer.NO);
  }

  @Test
  void fact_whenRuntimeNeverSeen_expectationUnknownWithReasonNotNo() {
    var fact = published.fact("cobol85.x", PackageType.ZIP, LocalDate.parse("2026-01-01"));

    assertThat(fact.answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(fact.reason()).contains("cobol85.x").contains("not in the deprecation data");
  }

  @Test
  void fact_whenZipWithoutRuntime_expectationUnknown() {
    assertThat(published.fact(null, PackageType.ZIP, LocalDate.parse("2026-01-01")).answer())
        .isEqualTo(Answer.UNKNOWN);
  }

  @Test
  void fact_whenImage_expectationNoManagedRuntime() {
    assertThat(published.fact(null, PackageType.IMAGE, LocalDate.parse("2026-01-01")).answer()).isEqualTo(Answer.NO);
  }
}
