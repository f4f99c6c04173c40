package com.qualys.lambdascanner.common.model;

/**
 * Fetch Credentials' output: where the credentials are, never what they are.
 *
 * @param secretArn the Qualys secret's ARN
 * @param secretVersionId the version validated, so the scan reads exactly that one
 * @param pod the Qualys platform (US1, EU2, ...)
 * @param authKind which keys the secret holds
 * @param roleArn the role to assume in the target account, or null when the target is in this account
 */
public record CredentialRefs(
    String secretArn, String secretVersionId, String pod, AuthKind authKind, String roleArn) {}
