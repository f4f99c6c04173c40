package com.qualys.lambdascanner.resolve.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.PackageType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS's published deprecation dates of Lambda's managed runtimes, kept as data ({@code runtime-deprecations.json}
 * beside this class: the dates, the page they were copied from and when). A runtime deprecated on or before the
 * scan's date plus {@link #HORIZON_DAYS} is a yes; a runtime name the data does not know is unknown with the reason,
 * never "ok": a new runtime, a typo or a crafted name all land there until the data is refreshed.
 */
public final class RuntimeDeprecations {

  /** Warn this far ahead, as the issue asks (Lambda itself e-mails 180 days ahead, Trusted Advisor 120). */
  public static final int HORIZON_DAYS = 90;

  static final String RESOURCE = "runtime-deprecations.json";

  private final Map<String, LocalDate> deprecation;
  private final String source;
  private final String copiedOn;

  RuntimeDeprecations(Map<String, LocalDate> deprecation, String source, String copiedOn) {
    this.deprecation = Map.copyOf(deprecation);
    this.source = source;
    this.copiedOn = copiedOn;
  }

  /** The data shipped with the function. */
  public static RuntimeDeprecations published() {
    try (InputStream in = RuntimeDeprecations.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the package");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, LocalDate> dates = new TreeMap<>();
      root.path("runtimes").properties()
          .forEach(e -> dates.put(e.getKey(), LocalDate.parse(e.getValue().path("deprecation").asText())));
      return new RuntimeDeprecations(dates, root.path("source").asText(), root.path("copiedOn").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runtimes the data knows, with their deprecation dates. */
  public Map<String, LocalDate> dates() {
    return deprecation;
  }

  /**
   * @param runtime the function's runtime identifier (null for images)
   * @param packageType Zip or Image
   * @param today the scan's date (UTC)
   */
  public ExposureFact fact(String runtime, PackageType packageType, LocalDate today) {
    if (packageType == PackageType.IMAGE) {
      return ExposureFact.no("container image: no Lambda-managed runtime (the image's own packages are scanned)");
    }
    if (runtime == null || runtime.isBlank()) {
      return ExposureFact.unknown("Lambda reported no runtime for this Zip function");
    }
    LocalDate date = deprecation.get(runtime);
    if (date == null) {
      return ExposureFact.unknown("runtime " + runtime + " is not in the deprecation data (copied " + copiedOn
          + " from " + source + ")");
    }
    String evidence = runtime + " deprecation date " + date + " (" + source + ", copied " + copiedOn + ")";
    if (!date.isAfter(today)) {
      return ExposureFact.yes("runtime " + runtime + " is deprecated since " + date, List.of(evidence));
    }
    if (!date.isAfter(today.plusDays(HORIZON_DAYS))) {
      return ExposureFact.yes("runtime " + runtime + " will be deprecated on " + date + ", within " + HORIZON_DAYS
          + " days", List.of(evidence));
    }
    return ExposureFact.no("runtime " + runtime + " is supported until " + date);
  }
}
