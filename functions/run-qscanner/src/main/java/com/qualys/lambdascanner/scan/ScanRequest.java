package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.model.CredentialRefs;
import com.qualys.lambdascanner.common.model.Target;

/**
 * Run QScanner's input, as the state machine passes it.
 *
 * @param scanId the scan's id
 * @param target the resolved target
 * @param credentials references to the Qualys secret (Fetch Credentials' output)
 */
public record ScanRequest(String scanId, Target target, CredentialRefs credentials) {}
