package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * This function's own account, from {@code sts:GetCallerIdentity} (which needs no permission), asked once per
 * container and only when needed: Lambda tells a function its region but not its account, except through the
 * invocation context, which the service does not see.
 */
final class CallerAccount implements Supplier<String> {

  private final StsClient sts;
  private volatile String account;

  CallerAccount(StsClient sts) {
    this.sts = sts;
  }

  @Override
  public String get() {
    String known = account;
    if (known == null) {
      try {
        known = sts.getCallerIdentity().account();
      } catch (StsException e) {
        String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
        if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
          throw new RetryableException("STS is unavailable (" + code + ")", e);
        }
        throw new TerminalException("cannot learn this function's own account from STS (" + code + ")");
      } catch (SdkClientException e) {
        throw new RetryableException("cannot reach STS", e);
      }
      account = known;
    }
    return known;
  }
}
