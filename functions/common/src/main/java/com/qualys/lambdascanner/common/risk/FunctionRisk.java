package com.qualys.lambdascanner.common.risk;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import java.util.List;

/**
 * A scanned function's risk, as the result record stores it ({@code risk}) and Notify, the metrics, Athena and the
 * fleet report read it. {@link #of} is the one place it is computed.
 *
 * @param score 0-100 ({@link RiskScore#ofFunction(List, Exposure)}): {@code base} weighed by the function's exposure,
 *     0 without findings
 * @param band the score's band
 * @param base the riskiest finding's own risk ({@link RiskScore#of(Finding)}), before the exposure weight
 * @param exposureWeight the weight {@link RiskScore#weight} gave the exposure facts (1 when they were not read)
 * @param findingId the riskiest finding's {@link FindingsIndex#id} (QID and package), null without findings
 * @param qid the riskiest finding's QID, null without findings
 * @param severity the riskiest finding's Qualys severity, 0 without findings
 * @param qds the riskiest finding's QDS, null when it has none (its severity then gave the risk)
 * @param findings how many findings the score is over
 * @param basis {@value #INDEX} (every finding of the scan not suppressed, from its findings index) or
 *     {@value #TOP_FINDINGS} (the index could not be read: only the top findings, a lower bound)
 * @param complete false when the score may miss findings: the index was truncated, or only the top findings were read
 */
public record FunctionRisk(
    int score,
    RiskScore.Band band,
    int base,
    double exposureWeight,
    String findingId,
    String qid,
    int severity,
    Integer qds,
    int findings,
    String basis,
    boolean complete) {

  public static final String INDEX = "INDEX";
  public static final String TOP_FINDINGS = "TOP_FINDINGS";

  /**
   * The risk of a function with these findings and this exposure (null: not read, weighs 1): the score of
   * {@link RiskScore#ofFunction(List, Exposure)}, the finding it comes from the riskiest by
   * {@link RiskScore#RISKIEST_FIRST}.
   */
  public static FunctionRisk of(List<Finding> findings, Exposure exposure, String basis, boolean complete) {
    List<Finding> all = findings == null ? List.of() : findings;
    int score = RiskScore.ofFunction(all, exposure);
    Finding riskiest = all.stream().min(RiskScore.RISKIEST_FIRST).orElse(null);
    return new FunctionRisk(
        score,
        RiskScore.Band.of(score),
        RiskScore.ofFunction(all),
        // Three decimals, as the record shows it (1.3 x 1.2 x 1.1 is 1.7160000000000002 in doubles).
        Math.round(RiskScore.weight(exposure) * 1000) / 1000.0,
        riskiest == null ? null : FindingsIndex.id(riskiest),
        riskiest == null ? null : riskiest.qid(),
        riskiest == null ? 0 : riskiest.severity(),
        riskiest == null ? null : riskiest.qds(),
        all.size(),
        basis,
        complete);
  }
}
