package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a qscanner-shaped JSON report of about the requested size, streamed, for size and memory tests. */
final class ReportGenerator {

  private ReportGenerator() {}

  /** Returns how many findings were written; severities cycle 1..5 so each gets count/5. */
  static long write(Path file, long targetBytes) throws IOException {
    long findings = 0;
    try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("SchemaVersion", 1);
      g.writeStringField("QScannerVersion", "4.8.0-bench");
      g.writeArrayFieldStart("Vulnerabilities");
      while (size(g, file) < targetBytes) {
        writeFinding(g, findings++);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return findings;
  }

  /** The same findings as SARIF, the way Qualys's integrations read it, each with its rule listed after them. */
  static long writeSarif(Path file, long targetBytes) throws IOException {
    long findings = 0;
    try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("version", "2.1.0");
      g.writeArrayFieldStart("runs");
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      // Results and their rules make about 4:1 of the file.
      while (size(g, file) < targetBytes * 4 / 5) {
        long n = findings++;
        g.writeStartObject();
        g.writeStringField("ruleId", "QID-" + (1_000_000 + n));
        g.writeObjectFieldStart("message");
        g.writeStringField("text", "Generated vulnerability " + n + " in a package nobody should still be using");
        g.writeEndObject();
        g.writeObjectFieldStart("properties");
        g.writeNumberField("qid", 1_000_000 + n);
        g.writeArrayFieldStart("cves");
        g.writeString("CVE-2024-" + (10000 + n % 90000));
        g.writeEndArray();
        g.writeStringField("packageName", "com.example:pkg-" + (n % 997));
        g.writeStringField("installedVersion", "1." + (n % 50) + ".0");
        g.writeStringField("fixedVersion", "1." + (n % 50) + ".1");
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      // The severities only on the rules, after the results: the parser's first pass must keep them all.
      g.writeObjectFieldStart("tool");
      g.writeObjectFieldStart("driver");
      g.writeArrayFieldStart("rules");
      for (long n = 0; n < findings; n++) {
        g.writeStartObject();
        g.writeStringField("id", "QID-" + (1_000_000 + n));
        g.writeObjectFieldStart("properties");
        g.writeNumberField("severity", (int) (n % 5) + 1);
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    return findings;
  }

  private static long size(JsonGenerator g, Path file) throws IOException {
    return Files.size(file) + g.getOutputBuffered();
  }

  private static void writeFinding(JsonGenerator g, long n) throws IOException {
    int severity = (int) (n % 5) + 1;
    g.writeStartObject();
    g.writeNumberField("QID", 1_000_000 + n);
    g.writeArrayFieldStart("CVEIDs");
    g.writeString("CVE-2024-" + (10000 + n % 90000));
    g.writeString("CVE-2025-" + (10000 + n % 90000));
    g.writeEndArray();
    g.writeStringField("Title", "Generated vulnerability " + n + " in a package nobody should still be using");
    g.writeNumberField("Severity", severity);
    g.writeNumberField("CustomerSeverity", severity);
    g.writeStringField("Category", "Java");
    g.writeObjectFieldStart("CVSSv3");
    g.writeNumberField("BaseScore", 2.0 * severity - 0.2);
    g.writeStringField("Vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    g.writeEndObject();
    g.writeStringField("FirstFound", "2026-01-05T10:00:00Z");
    g.writeStringField("LastFound", "2026-11-27T10:00:00Z");
    g.writeObjectFieldStart("ThreatIntel");
    g.writeBooleanField("ActiveAttacks", severity == 5);
    g.writeBooleanField("ExploitPublic", severity >= 4);
    g.writeEndObject();
    g.writeArrayFieldStart("Software");
    g.writeStartObject();
    g.writeStringField("Name", "com.example:pkg-" + (n % 997));
    g.writeStringField("Path", "/var/task/lib/pkg-" + (n % 997) + "-1." + (n % 50) + ".0.jar");
    g.writeStringField("InstalledVersion", "1." + (n % 50) + ".0");
    g.writeStringField("FixedVersion", "1." + (n % 50) + ".1");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }
}
