package com.qualys.lambdascanner.resolve;

import java.util.Optional;

/** The one question Resolve Target asks Lambda. A seam, so unit tests describe functions without the SDK. */
public interface FunctionDescriber {

  /**
   * Describes the function, with the credentials {@link TargetAccess} chooses for it.
   *
   * @param ref the function
   * @param scanId the scan asking (names a spoke session it opens)
   * @return the description, or empty when the function (or the named version) does not exist
   * @throws com.qualys.lambdascanner.common.error.RetryableException on throttling, 5xx and network errors
   * @throws com.qualys.lambdascanner.common.error.TerminalException when access is denied, naming the permission;
   *     when the function is in another account or region and cannot be read from here
   */
  Optional<FunctionDescription> describe(FunctionRef ref, String scanId);
}
