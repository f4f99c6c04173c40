package com.qualys.lambdascanner.common.model;

import java.util.List;

/**
 * The exact function code a scan is about: resolved by Resolve Target, never changed afterwards.
 *
 * @param partition {@code aws}, {@code aws-cn} or {@code aws-us-gov}
 * @param accountId the account that owns the function
 * @param region the function's region
 * @param functionName the bare function name
 * @param functionArn the unqualified function ARN
 * @param version {@code $LATEST} or a published version number
 * @param packageType Zip or Image
 * @param runtime the runtime identifier (null for images)
 * @param architectures {@code x86_64} and/or {@code arm64}
 * @param codeSha256 the code hash Lambda reports (base64)
 * @param imageUri the image URI as configured (images only)
 * @param imageDigest the resolved image reference {@code repo@sha256:...} (images only)
 * @param layers the attached layers
 * @param state the function state at resolution time ({@code Active}, {@code Pending}, ...)
 * @param codeKmsKeyArn the customer managed KMS key of a Zip package ({@code GetFunction}'s
 *     {@code Code.SourceKMSKeyArn}); null when Lambda's own key encrypts it, or when not known
 */
public record Target(
    String partition,
    String accountId,
    String region,
    String functionName,
    String functionArn,
    String version,
    PackageType packageType,
    String runtime,
    List<String> architectures,
    String codeSha256,
    String imageUri,
    String imageDigest,
    List<Layer> layers,
    String state,
    String codeKmsKeyArn) {

  public Target {
    architectures = architectures == null ? List.of() : List.copyOf(architectures);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** A target whose package key is not known (no customer managed key, or not resolved from GetFunction). */
  public Target(String partition, String accountId, String region, String functionName, String functionArn,
      String version, PackageType packageType, String runtime, List<String> architectures, String codeSha256,
      String imageUri, String imageDigest, List<Layer> layers, String state) {
    this(partition, accountId, region, functionName, functionArn, version, packageType, runtime, architectures,
        codeSha256, imageUri, imageDigest, layers, state, null);
  }

  /** The ARN to scan: qualified with the version unless it is {@code $LATEST}. */
  public String qualifiedArn() {
    return version == null || "$LATEST".equals(version) ? functionArn : functionArn + ":" + version;
  }
}
