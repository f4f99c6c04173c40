package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.testing.EnforcedAws;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Run QScanner's own clients in an enforced integration test: sessions of RunQScannerFunctionRole, as its module
 * builds them in Lambda (the uploader's S3, the secret reader's Secrets Manager, the STS that assumes ScanRole).
 */
record RunQScannerClients(S3Client s3, SecretsManagerClient secrets, StsClient sts) {

  static final String ROLE = "RunQScannerFunctionRole";

  static RunQScannerClients of(EnforcedAws aws) {
    return of(aws, aws.client(StsClient.builder(), ROLE));
  }

  /** With an STS client of the test's own making (one that records what it is asked), of the same role. */
  static RunQScannerClients of(EnforcedAws aws, StsClient sts) {
    return new RunQScannerClients(aws.client(S3Client.builder(), ROLE),
        aws.client(SecretsManagerClient.builder(), ROLE), sts);
  }

  /** The child's credentials as production makes them: ScanRole, narrowed by Run QScanner's session policy. */
  ScanRoleCredentials scanRole(EnforcedAws aws) {
    return new ScanRoleCredentials(sts, aws.role("ScanRole"), List.of());
  }
}
