package com.qualys.lambdascanner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.PolicyRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The IAM of {@link EnforcedAws}'s stack: render_policies.py's request for it, and the roles it rendered. */
final class StackRender {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StackRender() {}

  /**
   * template.yaml as {@link EnforcedAws#STACK_NAME} with these parameters and physical names, and
   * templates/spoke.yaml in each spoke account trusting it, rendered by the emulator's {@link PolicyRenderer}; returns
   * the file.
   */
  static Path render(Map<String, String> parameters, Map<String, Map<String, String>> names, List<String> spokes) {
    ObjectNode request = JSON.createObjectNode();
    var stacks = request.putArray("stacks");
    ObjectNode hub = stacks.addObject();
    hub.put("template", Events.root().resolve("template.yaml").toString());
    hub.put("stackName", EnforcedAws.STACK_NAME);
    hub.put("account", EnforcedAws.ACCOUNT);
    hub.put("region", EnforcedAws.REGION);
    parameters.forEach(hub.putObject("parameters")::put);
    ObjectNode physicalNode = hub.putObject("physical");
    names.forEach((logicalId, attributes) -> attributes.forEach(physicalNode.putObject(logicalId)::put));
    for (String spoke : spokes) {
      ObjectNode stack = stacks.addObject();
      stack.put("template", Events.root().resolve("templates/spoke.yaml").toString());
      stack.put("stackName", EnforcedAws.SPOKE_STACK_NAME);
      stack.put("account", spoke);
      stack.put("region", EnforcedAws.REGION);
      ObjectNode spokeParameters = stack.putObject("parameters").put("HubAccountId", EnforcedAws.ACCOUNT)
          .put("HubRegion", EnforcedAws.REGION).put("ExternalId", parameters.getOrDefault("SpokeExternalId", ""));
      if (parameters.containsKey("SpokeRoleName")) {
        spokeParameters.put("ScannerRoleName", parameters.get("SpokeRoleName"));
      }
      spokeParameters.set("HubRoleArns",
          JSON.createObjectNode().put("stack", EnforcedAws.STACK_NAME).put("Output", "SpokeTrustedRoleArns"));
    }
    try {
      Path folder = logFolder();
      return PolicyRenderer.render(request.toString(),
          Files.createTempFile(folder, "policies-" + EnforcedAws.STACK_NAME + "-", ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rendered roles' ARNs: the stack's by logical id, a spoke's as {@code account:logicalId}. */
  static Map<String, String> roles(Path rendered) {
    Map<String, String> roles = new HashMap<>();
    try {
      for (JsonNode role : JSON.readTree(rendered.toFile()).path("roles")) {
        String logicalId = role.path("logicalId").asText();
        String arn = role.path("arn").asText();
        roles.put(role.path("stack").asText().equals(EnforcedAws.STACK_NAME) ? logicalId
            : arn.split(":")[4] + ":" + logicalId, arn);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return roles;
  }

  /** The module's build folder (beside the IAM usage file the build names), else a temporary one. */
  static Path logFolder() {
    try {
      String usage = System.getProperty("authz.usage");
      Path folder = usage != null ? Path.of(usage).toAbsolutePath().getParent().resolve("authz")
          : Files.createTempDirectory("enforced-aws-");
      return Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
