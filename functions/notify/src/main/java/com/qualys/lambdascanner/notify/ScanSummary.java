package com.qualys.lambdascanner.notify;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.QualysLocator;
import com.qualys.lambdascanner.common.model.RecordStatus;
import com.qualys.lambdascanner.common.model.SeverityCounts;
import com.qualys.lambdascanner.common.model.SkipReason;
import com.qualys.lambdascanner.common.model.Target;
import com.qualys.lambdascanner.common.model.Trigger;
import com.qualys.lambdascanner.common.record.FindingChanges;
import com.qualys.lambdascanner.common.record.PolicyResult;
import com.qualys.lambdascanner.common.record.RecordError;
import com.qualys.lambdascanner.common.record.QuarantineResult;
import com.qualys.lambdascanner.common.record.Sbom;
import com.qualys.lambdascanner.common.record.ScannerInfo;
import com.qualys.lambdascanner.common.record.Suppressions;
import com.qualys.lambdascanner.common.record.Timings;
import com.qualys.lambdascanner.common.risk.FunctionRisk;
import java.util.List;

/**
 * What Notify publishes (the SNS message body and the EventBridge event's detail): the result record with its
 * bulky parts bounded, plus where the full record is. The account, region and function are repeated at the top
 * so that EventBridge patterns and subscribers need not dig into {@code target}.
 *
 * @param schemaVersion the result record's schema version
 * @param scanId the scan's id
 * @param executionArn the execution
 * @param status the record's status
 * @param skipReason why nothing was scanned (skips)
 * @param reason the short explanation
 * @param accountId the target's account, null when unknown
 * @param region the target's region, null when unknown
 * @param functionName the target's name, null when unknown
 * @param functionArn the target's unqualified ARN, null when unknown
 * @param target the target (its layer list is dropped when the message would be too big)
 * @param trigger what started the scan
 * @param scanner the scanner that ran
 * @param timings when things happened
 * @param counts vulnerability counts
 * @param highestSeverity the highest severity found, 0 when none
 * @param policyResult the policy verdict, if any
 * @param topFindings the most severe findings, at most {@link SummaryBuilder#MAX_TOP_FINDINGS}
 * @param topFindingsOmitted how many of the record's top findings are left out here
 * @param secretsFound secrets found by the secret scan
 * @param reportBucket the raw reports' bucket
 * @param reportKeys the raw reports' keys (dropped when the message would be too big)
 * @param error the redacted, bounded error
 * @param recordBucket the bucket holding the full record, null when Store Results did not run or failed
 * @param recordKey the full record's key
 * @param qualys what locates the scan in the Qualys platform, null when not reported
 * @param changes what is new and fixed since the previous scan, null when not computed
 * @param suppressions what the suppression list suppressed, null when not applied
 * @param alert whether this message should page someone ({@code AlertOnNewOnly}); also a message attribute
 * @param headline what the subject says, first in the message: what is new
 * @param sbom where the scan's SBOMs are, null when none
 * @param quarantine what the quarantine on DENY did (with the release command), null when it did not act
 * @param risk the function's risk (over all its findings, from Store Results; over the top findings when Store
 *     Results did not say), null when nothing was scanned
 */
@JsonPropertyOrder({"schemaVersion", "scanId", "headline", "status", "risk", "changes"})
public record ScanSummary(
    String schemaVersion,
    String scanId,
    String executionArn,
    RecordStatus status,
    SkipReason skipReason,
    String reason,
    String accountId,
    String region,
    String functionName,
    String functionArn,
    Target target,
    Trigger trigger,
    ScannerInfo scanner,
    Timings timings,
    SeverityCounts counts,
    int highestSeverity,
    PolicyResult policyResult,
    List<Finding> topFindings,
    int topFindingsOmitted,
    int secretsFound,
    String reportBucket,
    List<String> reportKeys,
    RecordError error,
    String recordBucket,
    String recordKey,
    QualysLocator qualys,
    FindingChanges changes,
    Suppressions suppressions,
    boolean alert,
    String headline,
    Sbom sbom,
    QuarantineResult quarantine,
    FunctionRisk risk) {

  /** This summary with its alert flag and headline, which are worked out from it. */
  ScanSummary with(boolean newAlert, String newHeadline) {
    return new ScanSummary(
        schemaVersion, scanId, executionArn, status, skipReason, reason, accountId, region, functionName,
        functionArn, target, trigger, scanner, timings, counts, highestSeverity, policyResult, topFindings,
        topFindingsOmitted, secretsFound, reportBucket, reportKeys, error, recordBucket, recordKey, qualys,
        changes, suppressions, newAlert, newHeadline, sbom, quarantine, risk);
  }

  /** The highest severity among new findings, 0 when none or not computed. */
  int newHighestSeverity() {
    return changes == null ? 0 : changes.newHighestSeverity();
  }
}
