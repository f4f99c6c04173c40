package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.model.Target;

/**
 * Fetch Credentials' input, as the state machine passes it.
 *
 * @param scanId the scan's id, for the logs
 * @param target the resolved target (for a cross-account role later; unused for a single account)
 */
public record FetchCredentialsRequest(String scanId, Target target) {}
