package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCodeLocation;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionRequest;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * {@link FunctionDescriber} over Lambda's {@code GetFunction}, in the function's region, as whoever
 * {@link TargetAccess} says (the function's own role, or a spoke role in hub mode). {@code Code.Location} (a
 * presigned URL to the code) is never read: only the image URI and digest are taken from {@code Code}.
 */
public final class LambdaFunctionDescriber implements FunctionDescriber {

  private static final Pattern LAYER_VERSION_ARN =
      Pattern.compile("(arn:(?:aws|aws-cn|aws-us-gov):lambda:[a-z0-9-]+:\\d{12}:layer:[A-Za-z0-9_-]{1,140}):(\\d{1,10})");

  private final LambdaClients clients;
  private final TargetAccess access;

  public LambdaFunctionDescriber(LambdaClients clients, TargetAccess access) {
    this.clients = clients;
    this.access = access;
  }

  @Override
  public Optional<FunctionDescription> describe(FunctionRef ref, String scanId) {
    TargetAccess.Reader reader = access.readerFor(ref, scanId);
    LambdaClient lambda = clients.forRegion(ref.region());
    // The full ARN when known, so an event can never make us describe a same-named function elsewhere.
    String name = ref.accountId() == null ? ref.functionName() : ref.unqualifiedArn();
    GetFunctionRequest.Builder request = GetFunctionRequest.builder().functionName(name);
    if (ref.qualifier() != null) {
      request.qualifier(ref.qualifier());
    }
    if (!reader.own()) {
      // Per request: the region's client is shared by every account read in that region.
      request.overrideConfiguration(o -> o.credentialsProvider(reader.credentials()));
    }
    GetFunctionResponse response;
    try {
      response = lambda.getFunction(request.build());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure(e, ref, reader);
    }
    FunctionConfiguration configuration = response.configuration();
    FunctionCodeLocation code = response.code();
    List<Layer> layers = new ArrayList<>();
    for (software.amazon.awssdk.services.lambda.model.Layer layer : configuration.layers()) {
      layers.add(new Layer(layer.arn(), layerCodeSha(lambda, reader, layer.arn())));
    }
    return Optional.of(
        new FunctionDescription(
            configuration.functionArn(),
            configuration.version(),
            configuration.packageTypeAsString(),
            configuration.runtimeAsString(),
            configuration.architecturesAsStrings(),
            configuration.codeSha256(),
            code == null ? null : code.imageUri(),
            code == null ? null : code.resolvedImageUri(),
            layers,
            configuration.stateAsString(),
            response.tags(),
            code == null ? null : code.sourceKMSKeyArn(),
            configuration.role()));
  }

  /**
   * The layer's code hash, or null. {@code GetLayerVersion} with the layer ARN and version number answers what
   * {@code GetLayerVersionByArn} answers, needs the same permission ({@code lambda:GetLayerVersion}), and also
   * works against the local emulator, which lacks the by-ARN form. A layer we may not read (another account's)
   * is not a reason to skip the function: the hash stays null and the layer ARN still identifies it.
   */
  private static String layerCodeSha(LambdaClient lambda, TargetAccess.Reader reader, String layerVersionArn) {
    Matcher m = layerVersionArn == null ? null : LAYER_VERSION_ARN.matcher(layerVersionArn);
    if (m == null || !m.matches()) {
      return null;
    }
    GetLayerVersionRequest.Builder request =
        GetLayerVersionRequest.builder().layerName(m.group(1)).versionNumber(Long.parseLong(m.group(2)));
    if (!reader.own()) {
      request.overrideConfiguration(o -> o.credentialsProvider(reader.credentials()));
    }
    try {
      var content = lambda.getLayerVersion(request.build()).content();
      return content == null ? null : content.codeSha256();
    } catch (SdkException e) {
      return null;
    }
  }

  /** A denial through a spoke role is the spoke role's policy (templates/spoke.yaml), not this function's. */
  private static RuntimeException failure(SdkException e, FunctionRef ref, TargetAccess.Reader reader) {
    if (!reader.own() && e instanceof AwsServiceException service && service.statusCode() == 403) {
      return new TerminalException(
          "access denied: the spoke role " + reader.roleArn() + " needs lambda:GetFunction on " + resource(ref)
              + " (templates/spoke.yaml grants it: is that account's spoke stack up to date?)",
          e);
    }
    return AwsErrors.map(e, "lambda:GetFunction", resource(ref));
  }

  private static String resource(FunctionRef ref) {
    String arn = ref.unqualifiedArn();
    return arn != null ? arn : ref.functionName() + " in " + ref.region();
  }
}
