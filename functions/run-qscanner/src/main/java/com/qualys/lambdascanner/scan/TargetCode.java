package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.Target;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** Reads which code a target function has right now, with the credentials qscanner gets for it. */
interface TargetCode {

  /**
   * The target's code as Lambda reports it now.
   *
   * @return its code sha and revision, or {@link CodeState#GONE} when the function or version no longer exists
   */
  CodeState read(Target target, AwsCredentials credentials);

  /**
   * @param codeSha256 {@code CodeSha256}
   * @param revisionId {@code RevisionId}: changes with every update of the code or the configuration (layers too)
   */
  record CodeState(String codeSha256, String revisionId) {
    static final CodeState GONE = new CodeState(null, null);

    boolean gone() {
      return codeSha256 == null && revisionId == null;
    }
  }
}
