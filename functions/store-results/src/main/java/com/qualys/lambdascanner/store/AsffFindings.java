package com.qualys.lambdascanner.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Findings in the AWS Security Finding Format (ASFF 2018-10-08), one per function and vulnerability. The Id is the
 * function's unqualified ARN, the QID and a hash of the package: the same on every scan (no time in it), so a rescan
 * updates the finding and a fix archives it, instead of each scan adding findings that never close. The resource
 * is the function itself ({@code AwsLambdaFunction}, filled from the record), not {@code Other}. Pure.
 */
final class AsffFindings {

  static final String SCHEMA_VERSION = "2018-10-08";
  static final String ACTIVE = "ACTIVE";
  static final String ARCHIVED = "ARCHIVED";

  /** A Lambda function ARN without qualifier; the only kind of resource these findings are about. */
  static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(-gov)?-[a-z]+-\\d):(\\d{12}):function:([A-Za-z0-9_-]{1,64})");
  private static final Pattern QID = Pattern.compile("[0-9A-Za-z_-]{1,32}");
  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,9}");
  private static final int MAX_TITLE = 256;
  private static final int MAX_DESCRIPTION = 1024;
  private static final int MAX_TEXT = 256;
  private static final int MAX_RELATED = 32;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AsffFindings() {}

  /** The customer's own product in that account and region, the only one BatchImportFindings takes from it. */
  static String productArn(String partition, String region, String account) {
    return "arn:" + partition + ":securityhub:" + region + ":" + account + ":product/" + account + "/default";
  }

  /** The stable Id: function ARN, QID, and a hash of the package (report-written text never forms the Id). */
  static String id(Target target, Finding finding) {
    String pkg = finding.packageName() == null ? "" : finding.packageName();
    return target.functionArn() + "/qualys/qid/" + qid(finding) + "/package/" + RecordKeys.sha256Hex(pkg).substring(0, 16);
  }

  /**
   * One finding.
   *
   * @param target a target whose ARN {@link #FUNCTION_ARN} matches (checked by the caller)
   * @param state {@value #ACTIVE} or {@value #ARCHIVED}
   * @param at CreatedAt, UpdatedAt and LastObservedAt: this scan's time (later on every rescan)
   */
  static ObjectNode finding(Target target, Finding finding, String state, Instant at, String scanId) {
    String account = target.accountId();
    String qid = qid(finding);
    ObjectNode f = NODES.objectNode();
    f.put("SchemaVersion", SCHEMA_VERSION);
    f.put("Id", id(target, finding));
    f.put("ProductArn", productArn(target.partition(), target.region(), account));
    f.put("GeneratorId", "qualys-lambda-scanner/qid/" + qid);
    f.put("AwsAccountId", account);
    f.putArray("Types").add(cves(finding).isEmpty()
        ? "Software and Configuration Checks/Vulnerabilities"
        : "Software and Configuration Checks/Vulnerabilities/CVE");
    f.put("CreatedAt", at.toString());
    f.put("UpdatedAt", at.toString());
    f.put("LastObservedAt", at.toString());
    ObjectNode severity = f.putObject("Severity");
    severity.put("Label", label(finding.severity()));
    severity.put("Original", Integer.toString(finding.severity()));
    String title = clip(finding.title() == null || finding.title().isBlank() ? "Qualys QID " + qid : finding.title(), MAX_TITLE);
    f.put("Title", title);
    f.put("Description", clip("Qualys QID " + qid + " in " + text(finding.packageName()) + " "
        + text(finding.installedVersion()) + " of Lambda function " + target.functionName()
        + (finding.fixedVersion() == null ? "; no fixed version known" : "; fixed in " + text(finding.fixedVersion()))
        + ". " + title, MAX_DESCRIPTION));
    // Severity and Types again where a provider updates them: once a customer changed the top-level ones with
    // BatchUpdateFindings, BatchImportFindings no longer may (Security Hub CSPM's "FindingProviderFields").
    // Criticality (0-100) carries the risk (docs/result-record.md, Risk): Security Hub sorts and filters on it.
    int risk = RiskScore.of(finding);
    f.put("Criticality", risk);
    ObjectNode provider = f.putObject("FindingProviderFields");
    provider.set("Severity", severity.deepCopy());
    provider.set("Types", f.get("Types").deepCopy());
    provider.put("Criticality", risk);
    f.put("RecordState", state);
    ObjectNode productFields = f.putObject("ProductFields");
    productFields.put("qualys/QID", qid);
    productFields.put("qualys-lambda-scanner/scanId", scanId);
    productFields.put("qualys-lambda-scanner/findingId", clip(FindingsIndex.id(finding), MAX_TEXT));
    productFields.put("qualys-lambda-scanner/risk", Integer.toString(risk));
    productFields.put("qualys-lambda-scanner/riskBand", RiskScore.Band.of(risk).name());
    if (finding.qds() != null) {
      productFields.put("qualys/QDS", Integer.toString(finding.qds()));
    }
    f.putArray("Vulnerabilities").add(vulnerability(finding));
    f.putArray("Resources").add(resource(target));
    return f;
  }

  private static ObjectNode vulnerability(Finding finding) {
    List<String> cves = cves(finding);
    ObjectNode v = NODES.objectNode();
    v.put("Id", cves.isEmpty() ? "QID-" + qid(finding) : cves.getFirst());
    if (cves.size() > 1) {
      ArrayNode related = v.putArray("RelatedVulnerabilities");
      cves.stream().skip(1).limit(MAX_RELATED).forEach(related::add);
    }
    ObjectNode pkg = v.putArray("VulnerablePackages").addObject();
    pkg.put("Name", clip(text(finding.packageName()), MAX_TEXT));
    if (finding.installedVersion() != null) {
      pkg.put("Version", clip(finding.installedVersion(), MAX_TEXT));
    }
    if (finding.fixedVersion() != null) {
      pkg.put("FixedInVersion", clip(finding.fixedVersion(), MAX_TEXT));
    }
    ObjectNode vendor = v.putObject("Vendor");
    vendor.put("Name", "Qualys");
    vendor.put("VendorSeverity", Integer.toString(finding.severity()));
    v.put("FixAvailable", finding.fixedVersion() == null ? "NO" : "YES");
    return v;
  }

  private static ObjectNode resource(Target target) {
    ObjectNode r = NODES.objectNode();
    r.put("Type", "AwsLambdaFunction");
    r.put("Id", target.functionArn());
    r.put("Partition", target.partition());
    r.put("Region", target.region());
    ObjectNode fn = r.putObject("Details").putObject("AwsLambdaFunction");
    fn.put("FunctionName", target.functionName());
    putIfSet(fn, "CodeSha256", target.codeSha256());
    putIfSet(fn, "Runtime", target.runtime());
    putIfSet(fn, "Version", target.version());
    if (target.packageType() != null) {
      fn.put("PackageType", target.packageType() == PackageType.IMAGE ? "Image" : "Zip");
    }
    if (!target.architectures().isEmpty()) {
      ArrayNode architectures = fn.putArray("Architectures");
      target.architectures().forEach(architectures::add);
    }
    if (!target.layers().isEmpty()) {
      ArrayNode layers = fn.putArray("Layers");
      for (Layer layer : target.layers()) {
        if (layer.arn() != null) {
          layers.addObject().put("Arn", clip(layer.arn(), MAX_TEXT));
        }
      }
    }
    return r;
  }

  /** Qualys 5 (urgent) to 1 (minimal), as ASFF labels. */
  static String label(int severity) {
    return switch (severity) {
      case 5 -> "CRITICAL";
      case 4 -> "HIGH";
      case 3 -> "MEDIUM";
      case 2 -> "LOW";
      default -> "INFORMATIONAL";
    };
  }

  private static String qid(Finding finding) {
    return finding.qid() != null && QID.matcher(finding.qid()).matches() ? finding.qid() : "unknown-" + RecordKeys.sha256Hex(String.valueOf(finding.qid())).substring(0, 12);
  }

  private static List<String> cves(Finding finding) {
    return finding.cves().stream().filter(c -> c != null && CVE.matcher(c).matches()).toList();
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null && !value.isBlank()) {
      node.put(field, clip(value, MAX_TEXT));
    }
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? "(unknown)" : value;
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }
}
