package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.model.Layer;
import java.util.List;
import java.util.Map;

/**
 * What {@code GetFunction} says about a function, minus the presigned code URL ({@code Code.Location}), which is
 * a credential in all but name and is never read.
 *
 * @param functionArn the ARN Lambda reports (qualified when a version was described)
 * @param version {@code $LATEST} or the version number
 * @param packageType {@code Zip} or {@code Image}
 * @param runtime the runtime (null for images)
 * @param architectures the instruction set architectures
 * @param codeSha256 the code hash (base64 for Zip)
 * @param imageUri the configured image URI (images only)
 * @param resolvedImageUri the image reference by digest (images only)
 * @param layers the attached layers, with their code hash where known
 * @param state the function state
 * @param tags the function's tags
 * @param codeKmsKeyArn the customer managed key of the package ({@code Code.SourceKMSKeyArn}); null otherwise
 * @param role the execution role's ARN
 */
public record FunctionDescription(
    String functionArn,
    String version,
    String packageType,
    String runtime,
    List<String> architectures,
    String codeSha256,
    String imageUri,
    String resolvedImageUri,
    List<Layer> layers,
    String state,
    Map<String, String> tags,
    String codeKmsKeyArn,
    String role) {

  /** A description without the execution role (tests that do not read exposure). */
  public FunctionDescription(String functionArn, String version, String packageType, String runtime,
      List<String> architectures, String codeSha256, String imageUri, String resolvedImageUri, List<Layer> layers,
      String state, Map<String, String> tags, String codeKmsKeyArn) {
    this(functionArn, version, packageType, runtime, architectures, codeSha256, imageUri, resolvedImageUri, layers,
        state, tags, codeKmsKeyArn, null);
  }

  public FunctionDescription {
    architectures = architectures == null ? List.of() : List.copyOf(architectures);
    layers = layers == null ? List.of() : List.copyOf(layers);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
