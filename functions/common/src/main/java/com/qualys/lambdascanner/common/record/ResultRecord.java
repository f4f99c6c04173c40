package com.qualys.lambdascanner.common.record;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.QualysLocator;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.model.Trigger;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import java.util.List;

/**
 * The canonical result of one execution: what Store Results writes to S3 and what Notify summarises. One per
 * execution, whichever way it ended. Readers (Athena, subscribers) rely on its shape: add fields freely, but
 * renaming or removing one is a new {@link #SCHEMA_VERSION} and a change to docs/result-record.schema.json.
 *
 * @param schemaVersion the record's schema version ({@value #SCHEMA_VERSION})
 * @param scanId the scan's id (the execution name)
 * @param executionArn the Step Functions execution
 * @param status what a reader filters on
 * @param skipReason why nothing was scanned (SKIPPED only)
 * @param reason a short human-readable explanation: skip detail, failure summary or scanner note
 * @param target the scanned function, null when it could not be resolved
 * @param trigger what started the scan, null when unknown
 * @param scanner the scanner that ran, null when no scan ran
 * @param timings when things happened
 * @param counts vulnerability counts by severity
 * @param highestSeverity the highest severity found (0 when none)
 * @param policyResult the policy verdict in evaluate-policy mode, else null
 * @param topFindings the riskiest findings of the scan, as Run QScanner chose them, riskiest first
 * @param secretsFound how many secrets the secret scan found
 * @param reportBucket the bucket of the raw reports, null when none
 * @param reportKeys the raw reports' keys
 * @param error the redacted, bounded error of a failed or timed-out execution
 * @param qualys what locates this scan in the Qualys platform (repo tag, image id), null when not reported
 * @param findingsIndexKey the findings index ({@code reports/.../findings-index.json}) that describes this
 *     function's findings as of this record: its own scan's, or for a failed scan the previous record's, so the
 *     next scan compares with the last known findings; null when none is known
 * @param changes what is new, fixed and persisting since the previous scan; null when nothing was scanned
 * @param suppressions what the suppression list suppressed; null when nothing was scanned
 * @param sbom the SBOMs kept for this scan (CycloneDX, and SPDX when asked), null when none
 * @param quarantine what the quarantine on DENY did, null when it is off or the verdict was not DENY
 * @param securityHub what the Security Hub export did, null when it is off or there was nothing to export
 * @param exposure the function's exposure facts as Resolve Target read them, null when nothing was scanned
 * @param risk the function's risk over every finding of the scan (Store Results works it out from the findings
 *     index), null when nothing was scanned
 */
public record ResultRecord(
    String schemaVersion,
    String scanId,
    String executionArn,
    RecordStatus status,
    SkipReason skipReason,
    String reason,
    Target target,
    Trigger trigger,
    ScannerInfo scanner,
    Timings timings,
    SeverityCounts counts,
    int highestSeverity,
    PolicyResult policyResult,
    List<Finding> topFindings,
    int secretsFound,
    String reportBucket,
    List<String> reportKeys,
    RecordError error,
    QualysLocator qualys,
    String findingsIndexKey,
    FindingChanges changes,
    Suppressions suppressions,
    Sbom sbom,
    QuarantineResult quarantine,
    SecurityHubResult securityHub,
    Exposure exposure,
    FunctionRisk risk) {

  public static final String SCHEMA_VERSION = "1.0";

  public ResultRecord {
    counts = counts == null ? SeverityCounts.NONE : counts;
    topFindings = topFindings == null ? List.of() : List.copyOf(topFindings);
    reportKeys = reportKeys == null ? List.of() : List.copyOf(reportKeys);
  }

  /** This record with other top findings and report keys (the summary trims them to fit SNS's limit). */
  public ResultRecord withBulk(List<Finding> findings, List<String> keys) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, target, trigger, scanner, timings,
        counts, highestSeverity, policyResult, findings, secretsFound, reportBucket, keys, error, qualys,
        findingsIndexKey, changes, suppressions, sbom, quarantine, securityHub, exposure, risk);
  }

  /** This record with another target (the summary drops the layer list when it must). */
  public ResultRecord withTarget(Target newTarget) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, newTarget, trigger, scanner, timings,
        counts, highestSeverity, policyResult, topFindings, secretsFound, reportBucket, reportKeys, error, qualys,
        findingsIndexKey, changes, suppressions, sbom, quarantine, securityHub, exposure, risk);
  }

  /** This record with the locator and the findings context Store Results works out. */
  public ResultRecord withFindingsContext(
      QualysLocator newQualys, String indexKey, FindingChanges newChanges, Suppressions newSuppressions) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, target, trigger, scanner, timings,
        counts, highestSeverity, policyResult, topFindings, secretsFound, reportBucket, reportKeys, error,
        newQualys, indexKey, newChanges, newSuppressions, sbom, quarantine, securityHub, exposure, risk);
  }

  /** This record with what the quarantine on DENY did. */
  public ResultRecord withQuarantine(QuarantineResult result) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, target, trigger, scanner, timings,
        counts, highestSeverity, policyResult, topFindings, secretsFound, reportBucket, reportKeys, error, qualys,
        findingsIndexKey, changes, suppressions, sbom, result, securityHub, exposure, risk);
  }

  /** This record with what the Security Hub export did. */
  public ResultRecord withSecurityHub(SecurityHubResult result) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, target, trigger, scanner, timings,
        counts, highestSeverity, policyResult, topFindings, secretsFound, reportBucket, reportKeys, error, qualys,
        findingsIndexKey, changes, suppressions, sbom, quarantine, result, exposure, risk);
  }

  /** This record with its risk and its top findings in the order they are shown (riskiest first). */
  public ResultRecord withRisk(FunctionRisk newRisk, List<Finding> orderedTopFindings) {
    return new ResultRecord(
        schemaVersion, scanId, executionArn, status, skipReason, reason, target, trigger, scanner, timings,
        counts, highestSeverity, policyResult, orderedTopFindings, secretsFound, reportBucket, reportKeys, error,
        qualys, findingsIndexKey, changes, suppressions, sbom, quarantine, securityHub, exposure, newRisk);
  }
}
