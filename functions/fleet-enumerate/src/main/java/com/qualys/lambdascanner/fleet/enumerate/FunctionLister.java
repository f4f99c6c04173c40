package com.qualys.lambdascanner.fleet.enumerate;

import java.util.List;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/** ListFunctions, every page, in one account and region (the seam the unit tests replace). */
public interface FunctionLister {

  /**
   * @param runId names the spoke session, so the spoke's CloudTrail ties the calls to the fleet execution
   * @throws com.qualys.lambdascanner.common.error.TerminalException the scope cannot be read (role denied,
   *     single-account mode and a scope elsewhere, permission missing)
   * @throws com.qualys.lambdascanner.common.error.RetryableException throttling or 5xx after the SDK's retries
   */
  List<FunctionConfiguration> list(String accountId, String region, String runId);
}
