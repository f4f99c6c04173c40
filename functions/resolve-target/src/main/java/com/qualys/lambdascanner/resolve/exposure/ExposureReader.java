package com.qualys.lambdascanner.resolve.exposure;

import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.resolve.FunctionDescription;
import com.qualys.lambdascanner.resolve.FunctionRef;

/** Reads a function's exposure facts. A seam, so unit tests resolve targets without the SDK. */
public interface ExposureReader {

  /**
   * Never throws for a fact it could not read: that fact is unknown, with the reason.
   *
   * @param ref the function as requested (its qualifier names the alias whose URL and policy are read too)
   * @param description what GetFunction said (the execution role, the runtime, the package type)
   * @param scanId the scan asking (names a spoke session it opens)
   */
  Exposure read(FunctionRef ref, FunctionDescription description, String scanId);
}
