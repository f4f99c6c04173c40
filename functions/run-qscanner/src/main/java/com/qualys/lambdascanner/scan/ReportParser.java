package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.VulnerablePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads qscanner's output files token by token (Jackson's streaming parser), so memory stays bounded whatever
 * the report's size: only counters, the current nesting path and the few most severe findings are kept.
 *
 * <p>SARIF ({@code -Report.sarif.json}) is read by {@link SarifReportParser}, the way Qualys's own integrations
 * read it. The JSON report's schema is Qualys's and not public, so its reader is shape-tolerant: a finding is any
 * object that carries both a QID and a Qualys severity 1..5; affected-software objects nested in it give the
 * package and versions. Fail safe: an entry of a top-level array that yields no finding (itself or nested) is
 * counted as unmapped, so a report in a shape the reader does not know is never a clean one. Bad content never
 * throws: it comes back as a problem next to whatever was read before it.
 */
final class ReportParser {

  static final int TOP_FINDINGS = 10;

  private static final int MAX_TEXT = 256;
  private static final int MAX_CVES = 20;

  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(1 << 20) // no single value is allowed to be huge
                  .maxNestingDepth(200)
                  .maxDocumentLength(-1) // the document itself may be as large as it likes: it is streamed
                  .build())
          .build();

  /** What a field of a finding is, by its normalised name ({@link #normal}); any other name is {@code OTHER}. */
  private enum Field {
    QID("qid"),
    SEVERITY("severity", "qualysseverity"),
    TITLE("title"),
    CVES("cveids", "cves", "cve", "cvelist", "cveid"),
    PACKAGE("name", "packagename", "package", "softwarename"),
    INSTALLED("installedversion", "version"),
    FIXED("fixedversion", "fixversion"),
    LAYER("layersha", "layer", "layerdigest"),
    QDS("qds", "qdsscore"),
    OTHER;

    private static final Map<String, Field> BY_NAME = new HashMap<>();

    static {
      for (Field field : values()) {
        for (String name : field.names) {
          BY_NAME.put(name, field);
        }
      }
    }

    private final String[] names;

    Field(String... names) {
      this.names = names;
    }
  }

  /**
   * The field names of one report, each mapped once: a report repeats a few names a million times, so normalising
   * each occurrence cost a fifth of the parse (docs/qscanner-integration.md, Benchmark). Bounded: a report of
   * distinct names only gets them normalised one by one.
   */
  private static final class FieldNames {
    private static final int MAX = 4096;
    private final Map<String, Field> seen = new HashMap<>();

    Field of(String name) {
      Field field = seen.get(name == null ? "" : name);
      if (field == null) {
        field = Field.BY_NAME.getOrDefault(normal(name), Field.OTHER);
        if (seen.size() < MAX) {
          seen.put(name == null ? "" : name, field);
        }
      }
      return field;
    }
  }

  private ReportParser() {}

  /**
   * What the ScanResult file says.
   *
   * @param scannerVersion {@code QScannerVersion}
   * @param scansPerformed how many entries {@code ScansPerformed} has
   * @param secretsFound how many secrets {@code SecretResults[].Secrets[]} lists
   * @param problem why the file could not be read to its end, or null
   */
  record ScanResultSummary(String scannerVersion, int scansPerformed, int secretsFound, String problem) {}

  /**
   * What the vulnerability report says.
   *
   * @param counts findings by severity
   * @param topFindings the riskiest findings (RiskScore.RISKIEST_FIRST), at most {@link #TOP_FINDINGS}
   * @param findings how many findings were read
   * @param unmapped how many results the parser could not map to a finding
   * @param problem why the file could not be read to its end or holds unmapped results, or null
   */
  record ReportSummary(
      SeverityCounts counts, List<Finding> topFindings, long findings, long unmapped, String problem) {}

  /** The first output file named {@code <id>-<suffix>} or {@code <id>_<suffix>} (qscanner's docs use both). */
  static Optional<Path> find(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.endsWith("-" + suffix) || name.endsWith("_" + suffix);
          })
          .sorted()
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
  static ScanResultSummary parseScanResult(Path file) {
    String version = null;
    int scans = 0;
    int secrets = 0;
    try (JsonParser p = FACTORY.createParser(file.toFile())) {
      JsonToken token = p.nextToken();
      if (token != JsonToken.START_OBJECT) {
        return new ScanResultSummary(null, 0, 0, name(file) + " is not a JSON object");
      }
      while ((token = p.nextToken()) != null) {
        if (token == JsonToken.VALUE_STRING
            && "QScannerVersion".equals(p.currentName())
            && p.getParsingContext().getParent().inRoot()) {
          version = clip(p.getText());
        } else if (token == JsonToken.START_OBJECT) {
          String array = enclosingArray(p);
          if ("ScansPerformed".equals(array)) {
            scans++;
          } else if ("Secrets".equals(array)) {
            secrets++;
          }
        }
      }
      return new ScanResultSummary(version, scans, secrets, null);
    } catch (IOException | RuntimeException e) {
      return new ScanResultSummary(version, scans, secrets, name(file) + " is unreadable: " + reason(e));
    }
  }

  static ReportSummary parseReport(Path file) {
    return parseReport(file, finding -> {});
  }

  /** As {@link #parseReport(Path)}, handing every finding read to {@code each} too (for the findings index). */
  static ReportSummary parseReport(Path file, java.util.function.Consumer<Finding> each) {
    String name = name(file);
    if (name.endsWith("Report.sarif.json")) {
      return SarifReportParser.parse(file, each);
    }
    FindingTally tally = new FindingTally(each);
    Deque<Frame> frames = new ArrayDeque<>();
    FieldNames fields = new FieldNames();
    try (JsonParser p = FACTORY.createParser(file.toFile())) {
      JsonToken token = p.nextToken();
      if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
        return tally.summary(name, name + " is empty or not JSON");
      }
      do {
        switch (token) {
          case START_OBJECT -> frames.push(new Frame(isEntry(p)));
          case END_OBJECT -> {
            Frame frame = frames.pop();
            Finding finding = frame.finding();
            if (finding != null) {
              tally.add(finding);
              frames.forEach(f -> f.holdsFinding = true);
            } else if (frame.entry && !frame.holdsFinding) {
              tally.unmapped();
            } else if (!frames.isEmpty() && frame.isSoftware()) {
              frames.peek().absorb(frame);
            }
          }
          case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            if (!frames.isEmpty()) {
              JsonStreamContext context = p.getParsingContext();
              if (context.inArray()) {
                if (fields.of(context.getParent().getCurrentName()) == Field.CVES && context.getParent().inObject()) {
                  frames.peek().addCve(p.getText());
                }
              } else {
                Field field = fields.of(p.currentName());
                if (field != Field.OTHER) {
                  // Only the values kept are made into strings.
                  frames.peek().set(field, p.getText(), token);
                }
              }
            }
          }
          default -> {
            // Field names, arrays, booleans and nulls carry nothing we keep.
          }
        }
      } while ((token = p.nextToken()) != null);
      return tally.summary(name, null);
    } catch (IOException | RuntimeException e) {
      return tally.summary(name, name + " is unreadable after " + tally.findings() + " findings: " + reason(e));
    }
  }

  /**
   * Whether the object being started is an entry of a top-level list (the root array, or an array that is a field
   * of the root object, such as {@code Vulnerabilities}): each such entry must come out as a finding.
   */
  private static boolean isEntry(JsonParser p) {
    JsonStreamContext array = p.getParsingContext().getParent();
    if (array == null || !array.inArray()) {
      return false;
    }
    JsonStreamContext holder = array.getParent();
    return holder == null || holder.inRoot() || (holder.inObject() && holder.getParent() != null
        && holder.getParent().inRoot());
  }

  /** The field name of the array an object being started sits in, or null. */
  private static String enclosingArray(JsonParser p) {
    JsonStreamContext array = p.getParsingContext().getParent();
    if (array == null || !array.inArray() || array.getParent() == null) {
      return null;
    }
    return array.getParent().getCurrentName();
  }

  static String normal(String fieldName) {
    return fieldName == null ? "" : fieldName.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  private static String name(Path file) {
    return String.valueOf(file.getFileName());
  }

  /** The parser's reason without its source excerpt, which could quote the report's content. */
  static String reason(Exception e) {
    String message =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + clip(message) + ")");
  }

  static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  /** One object being read: only the fields a finding needs, each clipped. */
  private static final class Frame {
    final boolean entry;
    boolean holdsFinding;
    String qid;
    int severity;
    String title;
    List<String> cves;
    String packageName;
    String installedVersion;
    String fixedVersion;
    String layerSha;
    String qds;
    List<VulnerablePackage> packages;

    Frame(boolean entry) {
      this.entry = entry;
    }

    void set(Field field, String value, JsonToken token) {
      switch (field) {
        case QID -> qid = clip(value);
        case SEVERITY -> severity = severity(value, token);
        case TITLE -> title = clip(value);
        case CVES -> addCve(value);
        case PACKAGE -> packageName = clip(value);
        case INSTALLED -> installedVersion = clip(value);
        case FIXED -> fixedVersion = clip(value);
        case LAYER -> layerSha = clip(value);
        case QDS -> qds = clip(value);
        case OTHER -> {
          // Nothing a finding needs.
        }
      }
    }

    void addCve(String value) {
      if (cves == null) {
        cves = new ArrayList<>();
      }
      if (cves.size() < MAX_CVES && value != null && value.startsWith("CVE-")) {
        cves.add(clip(value));
      }
    }

    boolean isSoftware() {
      return installedVersion != null || fixedVersion != null;
    }

    /** Every affected-software object nested in a finding is one of its packages; the first names the finding's. */
    void absorb(Frame software) {
      if (packageName == null && installedVersion == null) {
        packageName = software.packageName;
        installedVersion = software.installedVersion;
        fixedVersion = software.fixedVersion;
      }
      if (packages == null) {
        packages = new ArrayList<>();
      }
      if (packages.size() < SarifFindings.MAX_PACKAGES) {
        packages.add(
            new VulnerablePackage(
                software.packageName, software.installedVersion, software.fixedVersion, software.layerSha));
      }
    }

    Finding finding() {
      if (qid == null || severity < 1 || severity > 5) {
        return null;
      }
      List<VulnerablePackage> all = packages;
      if (all == null && (packageName != null || installedVersion != null)) {
        all = List.of(new VulnerablePackage(packageName, installedVersion, fixedVersion, layerSha));
      }
      return new Finding(
          qid, cves, severity, title, packageName, installedVersion, fixedVersion,
          SarifFindings.qds(qds), all);
    }

    private static int severity(String value, JsonToken token) {
      if (token == JsonToken.VALUE_NUMBER_INT || (value != null && value.matches("[0-9]"))) {
        try {
          return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
      return 0;
    }
  }
}
