package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.emulator.EcrRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The functions a scan reads, as they would exist in an account: created in moto on demand (with layers, versions,
 * Zip or Image), and the role they and the state machines run with.
 */
final class TargetFunctions {

  /** {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:<tag>]}: an image this run can push. */
  private static final Pattern ECR_IMAGE =
      Pattern.compile("^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com/([a-z0-9][a-z0-9._/-]*)(?::([A-Za-z0-9_.-]+))?$");
  private static final Pattern LAYER_ARN =
      Pattern.compile("^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):layer:([A-Za-z0-9_-]+):(\\d+)$");

  private final LocalClients clients;
  private final EcrRegistry registry;
  private final String account;
  private final String region;

  TargetFunctions(LocalClients clients, EcrRegistry registry, String account, String region) {
    this.clients = clients;
    this.registry = registry;
    this.account = account;
    this.region = region;
  }

  /**
   * The function an event or direct request names, as it would exist in the account: created in moto (with its
   * layers, as Zip or Image) unless it exists. A failed call's event (errorCode) names nothing to create.
   */
  Optional<String> ensureTarget(JsonNode event) {
    TargetSpec spec = TargetSpec.from(event, account, region);
    if (spec == null) {
      return Optional.empty();
    }
    LambdaClient control = clients.lambdaIn(spec.account(), spec.region());
    try {
      control.getFunction(b -> b.functionName(spec.name()));
      return Optional.of(spec.name());
    } catch (ResourceNotFoundException absent) {
      // create it below
    }
    String role = ensureRole(spec.account());
    List<String> layers = new ArrayList<>();
    for (String layerArn : spec.layers()) {
      Matcher layer = LAYER_ARN.matcher(layerArn);
      if (!layer.matches() || !layer.group(1).equals(spec.region()) || !layer.group(2).equals(spec.account())) {
        continue;
      }
      int wanted = Integer.parseInt(layer.group(4));
      long have = control.listLayerVersions(b -> b.layerName(layer.group(3))).layerVersions().size();
      String arn = null;
      for (long v = have; v < wanted; v++) {
        arn = control.publishLayerVersion(b -> b.layerName(layer.group(3))
            .content(c -> c.zipFile(SdkBytes.fromByteArray(tinyZip("java/lib/README.txt", "a local layer"))))
            .compatibleRuntimes(software.amazon.awssdk.services.lambda.model.Runtime.fromValue(spec.runtime())))
            .layerVersionArn();
      }
      layers.add(arn != null ? arn : layerArn);
    }
    control.createFunction(b -> {
      b.functionName(spec.name()).role(role).timeout(30).memorySize(512)
          .architectures(spec.architectures().stream()
              .map(software.amazon.awssdk.services.lambda.model.Architecture::fromValue).toList())
          .tags(spec.tagsWith("created-by", "local-pipeline"));
      if (spec.image()) {
        pushImage(spec);
        b.packageType(software.amazon.awssdk.services.lambda.model.PackageType.IMAGE)
            .code(c -> c.imageUri(spec.imageUri()));
      } else {
        b.packageType(software.amazon.awssdk.services.lambda.model.PackageType.ZIP)
            .runtime(spec.runtime())
            .handler(spec.handler())
            .layers(layers)
            .code(c -> c.zipFile(SdkBytes.fromByteArray(tinyZip("index.py", "def handler(event, context):\n    return event\n"))));
      }
    });
    if (spec.version() != null) {
      // moto numbers versions 1, 2, ... and publishes only after a change: one small change per version.
      for (int v = 1; v <= spec.version(); v++) {
        String description = "local version " + v;
        control.updateFunctionConfiguration(b -> b.functionName(spec.name()).description(description));
        control.publishVersion(b -> b.functionName(spec.name()));
      }
    }
    return Optional.of(spec.name());
  }

  /**
   * An image function's image, pushed to the emulator's registry as its deployer would have before CreateFunction (so
   * Lambda resolves its digest and the scanner can pull it); an image URI outside ECR is left as it is.
   */
  private void pushImage(TargetSpec spec) {
    Matcher image = ECR_IMAGE.matcher(spec.imageUri());
    if (image.matches()) {
      registry.push(image.group(1), image.group(2), image.group(3), image.group(4) == null ? "latest" : image.group(4),
          spec.architectures().contains("arm64") ? "arm64" : "amd64",
          java.util.Map.of("var/task/app.py", "def handler(event, context):\n    return event\n",
              "var/task/requirements.txt", "requests==2.31.0\n"));
    }
  }

  /** The role functions and state machines of the account run with, created unless it exists. */
  String ensureRole(String roleAccount) {
    IamClient iam = clients.build(IamClient.builder(), clients.credentialsFor(roleAccount), Region.AWS_GLOBAL);
    String name = "local-pipeline-role";
    try {
      return iam.getRole(b -> b.roleName(name)).role().arn();
    } catch (NoSuchEntityException absent) {
      return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument("""
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com",\
          "states.amazonaws.com"]},"Action":"sts:AssumeRole"}]}""")).role().arn();
    }
  }

  static byte[] tinyZip(String name, String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
