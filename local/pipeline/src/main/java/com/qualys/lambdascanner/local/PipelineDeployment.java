package com.qualys.lambdascanner.local;

import static com.qualys.lambdascanner.local.PipelineSettings.FUNCTIONS;
import static com.qualys.lambdascanner.local.PipelineSettings.STATE_MACHINE_ID;
import static com.qualys.lambdascanner.local.PipelineSettings.STATE_MACHINE_NAME;

import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.MotoServer;
import com.qualys.lambdascanner.local.PipelineSettings.Function;
import com.qualys.lambdascanner.local.PipelineSettings.Options;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One run's stack, brought up in the order its parts need each other: moto and {@link LocalLambda} joined (as
 * {@link LocalPipeline} explains), then the pipeline's resources, the stand-in scanner, the enforcement over the
 * rendered policies, the stack's rules and schedules, the five functions registered and warm, and the pipeline's state
 * machine. Apart from {@link LocalPipeline}, the facade tests call, so that the deployment reads in one place; the
 * parts are package-private fields the facade hands out.
 */
final class PipelineDeployment implements AutoCloseable {

  final Path projectRoot;
  final String account;
  final String region;
  final Path workDir;
  final Options options;
  final LocalLambda lambda;
  final MotoServer moto;
  final LocalClients clients;
  final TargetFunctions targets;

  // Set by deploy(), in this order; close() takes down whichever came up.
  PipelineResources resources;
  Path qscanner;
  LocalFunctions functions;
  ResultsReadback readback;
  Executions executions;
  LocalAuthorization authorization;
  StackEvents events;
  String stateMachineArn;

  /** Starts LocalLambda and moto, joined; nothing is created in them yet. */
  PipelineDeployment(Path projectRoot, String account, String region, Path workDir, Options options) {
    this.options = options;
    this.projectRoot = projectRoot.toAbsolutePath().normalize();
    this.account = account;
    this.region = region;
    this.workDir = workDir;
    LocalLambda startedLambda = LocalLambda.start(workDir.resolve("lambda"));
    MotoServer startedMoto;
    try {
      startedMoto = MotoServer.start(startedLambda.port());
    } catch (RuntimeException e) {
      startedLambda.close();
      throw e;
    }
    this.lambda = startedLambda.forwardTo(startedMoto.endpoint());
    this.moto = startedMoto;
    this.clients = new LocalClients(moto.endpoint(), account, region);
    this.targets = new TargetFunctions(clients, lambda.registry(), account, region);
  }

  /** Creates the stack's parts; the stand-in scanner plays {@code scenario} for every target. */
  void deploy(String scenario) {
    resources = PipelineResources.create(clients, targets, account, region);
    qscanner = StandInScanner.copy(projectRoot, workDir);
    StandInScanner.scenarios(qscanner, moto.endpoint(), scenario, Map.of());
    functions = new LocalFunctions(projectRoot, account, region, options, lambda, clients, resources, qscanner);
    Map<String, Map<String, String>> environments = new HashMap<>();
    FUNCTIONS.forEach(function -> environments.put(function.name(), functions.environment(function)));
    authorization = LocalAuthorization.start(projectRoot, workDir, account, region, options, resources, environments,
        lambda);
    clients.authorization(authorization);
    events = StackEvents.deploy(authorization.rendered(), clients, lambda, moto.endpoint(),
        authorization.authorization());
    functions.authorization(authorization);
    functions.registerAll();
    readback = new ResultsReadback(clients, resources);
    Template template = Template.read(projectRoot.resolve("template.yaml"));
    java.util.function.Function<String, String> machineOf = aslFile ->
        aslFile.contains("fleet") ? LocalFleet.STATE_MACHINE_ID : STATE_MACHINE_ID;
    executions = new Executions(clients, readback, projectRoot,
        aslFile -> authorization.role(machineOf.apply(aslFile) + "Role"),
        aslFile -> StateMachineLogging.of(template, machineOf.apply(aslFile), account, region));
    stateMachineArn = executions.createStateMachine(STATE_MACHINE_NAME, "statemachine/scan-pipeline.asl.json",
        AslDefinitions.localSubstitutions(projectRoot, options, account, region));
    lambda.warm(FUNCTIONS.stream().map(Function::name).toArray(String[]::new));
  }

  /** Stops every runtime, moto, and removes the work folder but the logs. Safe to call twice. */
  @Override
  public void close() {
    try {
      lambda.close();
    } finally {
      moto.close();
      if (events != null) {
        events.close();
      }
      clients.close();
      if (authorization != null) {
        authorization.close();
      }
    }
  }
}
