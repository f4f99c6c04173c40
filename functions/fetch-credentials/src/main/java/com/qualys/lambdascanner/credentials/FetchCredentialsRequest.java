package com.qualys.lambdascanner.credentials;

import com.qualys.lambdascanner.common.model.Target;

/**
 * Fetch Credentials' input, as the state machine passes it.
 *
 * @param scanId the scan's id, for the logs
 * @param target the resolved target: its account and region decide whether a spoke role is needed (null: none
 *     is checked)
 */
public record FetchCredentialsRequest(String scanId, Target target) {}
