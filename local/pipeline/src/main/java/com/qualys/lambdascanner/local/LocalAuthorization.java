package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.PolicyRenderer;
import com.qualys.lambdascanner.local.PipelineSettings.Function;
import com.qualys.lambdascanner.local.PipelineSettings.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run's IAM, as the deployed stack has it: template.yaml (and, in hub mode, templates/spoke.yaml in each spoke
 * account) rendered with the run's parameters and the names of what the run created, each function's and state
 * machine's role by name, and {@link Authorization} enforcing them in {@link LocalLambda}. {@code AUTHZ=off}: the
 * roles are named the same, nothing is evaluated (for debugging only).
 */
final class LocalAuthorization implements AutoCloseable {

  static final String STACK_NAME = "qualys-lambda-scanner";
  /** The spoke accounts of the local runs and tests (hub mode, fleets): each gets templates/spoke.yaml's role. */
  static final List<String> SPOKE_ACCOUNTS = List.of("210987654321", "310987654321", "410987654321");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> roleArns;
  private final Authorization authorization;
  private final Path rendered;

  private LocalAuthorization(Map<String, String> roleArns, Authorization authorization, Path rendered) {
    this.roleArns = roleArns;
    this.authorization = authorization;
    this.rendered = rendered;
  }

  /**
   * Renders the policies for this run and, unless {@code AUTHZ=off}, starts enforcing them in {@code lambda}. Called
   * once the run's resources exist (their names go into the policies) and before any function or state machine.
   */
  static LocalAuthorization start(Path projectRoot, Path workDir, String account, String region, Options options,
      PipelineResources resources, Map<String, Map<String, String>> environments, LocalLambda lambda) {
    ObjectNode request = renderRequest(projectRoot, account, region, options, resources, environments);
    Path rendered = PolicyRenderer.render(request.toString(), workDir.resolve("policies.json"));
    Authorization authorization = null;
    if (Authorization.enabled()) {
      authorization = Authorization.start(projectRoot, rendered, lambda.workDir().resolve("logs/authz.log"));
      authorization.bucketKey(resources.bucket(), resources.keyArn());
      lambda.enforce(authorization);
    }
    return new LocalAuthorization(stackRoles(rendered), authorization, rendered);
  }

  /** The stack's roles by logical id, from render_policies.py's output. */
  static Map<String, String> stackRoles(Path rendered) {
    Map<String, String> roles = new HashMap<>();
    try {
      for (JsonNode role : JSON.readTree(rendered.toFile()).path("roles")) {
        if (role.path("stack").asText().equals(STACK_NAME)) {
          roles.put(role.path("logicalId").asText(), role.path("arn").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return roles;
  }

  /** render_policies.py's input for this run: template.yaml, and in hub mode templates/spoke.yaml per spoke. */
  static ObjectNode renderRequest(Path projectRoot, String account, String region, Options options,
      PipelineResources resources, Map<String, Map<String, String>> environments) {
    ObjectNode request = JSON.createObjectNode();
    var stacks = request.putArray("stacks");
    ObjectNode hub = stacks.addObject();
    hub.put("template", projectRoot.resolve("template.yaml").toString());
    hub.put("stackName", STACK_NAME);
    hub.put("account", account);
    hub.put("region", region);
    ObjectNode parameters = hub.putObject("parameters");
    if (options.hub()) {
      parameters.put("DeploymentMode", "hub");
      parameters.put("SpokeAccountIds", String.join(",", SPOKE_ACCOUNTS));
      parameters.put("SpokeRoleName", options.spokeRoleName());
      parameters.put("SpokeExternalId", externalId(options));
    }
    ObjectNode envs = hub.putObject("environments");
    Stream.concat(PipelineSettings.FUNCTIONS.stream(), LocalFleet.FUNCTIONS.stream()).forEach(function -> {
      Map<String, String> variables = environments.get(function.name());
      if (variables != null) {
        ObjectNode env = envs.putObject(function.logicalId());
        variables.forEach(env::put);
      }
    });
    ObjectNode physical = hub.putObject("physical");
    physical.putObject("ResultsBucket").put("Ref", resources.bucket()).put("Arn", "arn:aws:s3:::" + resources.bucket());
    physical.putObject("ResultsKey").put("Ref", resources.keyArn().substring(resources.keyArn().indexOf('/') + 1))
        .put("Arn", resources.keyArn());
    physical.putObject("FindingsTopic").put("Ref", resources.topicArn())
        .put("TopicName", resources.topicArn().substring(resources.topicArn().lastIndexOf(':') + 1));
    physical.putObject("QualysSecret").put("Ref", resources.secretArn()).put("Id", resources.secretArn());
    Stream.concat(PipelineSettings.FUNCTIONS.stream(), LocalFleet.FUNCTIONS.stream()).forEach(function ->
        physical.putObject(function.logicalId()).put("Ref", function.name())
            .put("Arn", "arn:aws:lambda:" + region + ":" + account + ":function:" + function.name()));
    physical.putObject(PipelineSettings.STATE_MACHINE_ID)
        .put("Ref", stateMachineArn(account, region, PipelineSettings.STATE_MACHINE_NAME))
        .put("Name", PipelineSettings.STATE_MACHINE_NAME);
    physical.putObject(LocalFleet.STATE_MACHINE_ID)
        .put("Ref", stateMachineArn(account, region, LocalFleet.STATE_MACHINE_NAME))
        .put("Name", LocalFleet.STATE_MACHINE_NAME);
    if (options.hub()) {
      // A StackSet instance per spoke account and region: the hub's region (the spoke role) and the spokes' events'
      // region (PipelineSettings.SPOKE_REGION: its forwarding rule, ForwardRole and dead-letter queue).
      for (String spoke : Stream.concat(Stream.of(account), SPOKE_ACCOUNTS.stream()).toList()) {
        for (String spokeRegion : Stream.of(region, PipelineSettings.SPOKE_REGION).distinct().toList()) {
          spokeStack(stacks.addObject(), projectRoot, spoke, spokeRegion, account, region, options);
        }
      }
    }
    return request;
  }

  private static void spokeStack(ObjectNode stack, Path projectRoot, String spoke, String spokeRegion, String account,
      String region, Options options) {
    stack.put("template", projectRoot.resolve("templates/spoke.yaml").toString());
    stack.put("stackName", "qualys-lambda-scanner-spoke");
    stack.put("account", spoke);
    stack.put("region", spokeRegion);
    stack.putObject("parameters").put("HubAccountId", account).put("HubRegion", region)
        .put("ScannerRoleName", options.spokeRoleName()).put("ExternalId", externalId(options))
        .set("HubRoleArns", JSON.createObjectNode().put("stack", STACK_NAME).put("Output", "SpokeTrustedRoleArns"));
  }

  private static String externalId(Options options) {
    return options.spokeExternalId() == null ? "" : options.spokeExternalId();
  }

  private static String stateMachineArn(String account, String region, String name) {
    return "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name;
  }

  /** The role template.yaml gives the function (SAM's {@code <logical id>Role}). */
  String functionRole(Function function) {
    return role(function.logicalId() + "Role");
  }

  /** The role of a template resource by logical id (ScanRole, ScanStateMachineRole, ...). */
  String role(String logicalId) {
    String arn = roleArns.get(logicalId);
    if (arn == null) {
      throw new IllegalArgumentException("template.yaml renders no role " + logicalId + " for this run");
    }
    return arn;
  }

  /** A function runtime's session credentials: evaluated as its role from now on. */
  void functionSession(String accessKeyId, String roleArn, String functionName) {
    if (authorization != null) {
      authorization.functionSession(accessKeyId, roleArn, functionName);
    }
  }

  /** Credentials the harness assumed for its own set-up in another account: not evaluated. */
  void harnessKey(String accessKeyId) {
    if (authorization != null) {
      authorization.harnessKey(accessKeyId);
    }
  }

  /** render_policies.py's output for this run (policies, and the rules, schedules and queues to deploy). */
  Path rendered() {
    return rendered;
  }

  /** The enforcing authorization, or null with {@code AUTHZ=off}. */
  Authorization authorization() {
    return authorization;
  }

  @Override
  public void close() {
    if (authorization != null) {
      authorization.close();
    }
  }
}
