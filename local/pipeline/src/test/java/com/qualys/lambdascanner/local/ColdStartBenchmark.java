package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qualys.lambdascanner.emulator.InvokeResult;
import com.qualys.lambdascanner.emulator.LambdaFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold start of each function, measured the way Lambda reports it, on the local emulator: the built package alone,
 * in a fresh JVM under the AWS Lambda Java Runtime Interface Client, against moto. For each function and round:
 * <ul>
 *   <li>init: from starting the JVM to the runtime asking for its first event (class loading, the Dagger graph,
 *       the SDK clients): Lambda's "Init Duration", the part SnapStart replaces with a snapshot restore;
 *   <li>first: the first invocation in that JVM (the code paths a request touches load and run cold);
 *   <li>warm: a second invocation of the same input;
 *   <li>SnapStart functions again as SnapStart starts them ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}: the
 *       RIC runs the beforeCheckpoint priming at the end of init): "primed init" (init plus priming, what the
 *       snapshot is taken after) and "primed first", the first invocation after priming: what a restored function
 *       pays on top of the restore itself;
 *   <li>classes: how many classes the JVM has loaded at the end of init, and how many more the first invocation
 *       loads, unprimed and primed (one extra round each, with {@code -Xlog:class+load}, not timed);
 *   <li>run-qscanner also as its container image ({@link ScannerImage}, the image's own entrypoint in its root
 *       filesystem), without and with the Java 25 AOT cache trained in the image build, rounds interleaved with the
 *       zip's (init, first and warm as above);
 *   <li>with {@code -Dbaseline.root=<another checkout, built>}: the same function from that checkout's package,
 *       rounds interleaved with this one's, so both see the same machine load ({@code make bench-cold-start
 *       BASELINE=main}).
 * </ul>
 * Prints medians and the package size. Figures on a laptop or this project's 2-core machines are not Lambda's (a
 * function's CPU share grows with its memory size), but they compare builds with each other in one run.
 *
 * <p>{@code make bench-cold-start} runs it; the argument is the number of rounds (default 5).
 */
public final class ColdStartBenchmark {

  private static final String BASELINE = "-baseline";
  private static final String FIRST_INVOCATION = "run-qscanner's first invocation";
  private static final String SCANNER = "run-qscanner";

  private ColdStartBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Samples.projectRoot();
    Optional<Path> baseline = Optional.ofNullable(System.getProperty("baseline.root")).filter(s -> !s.isBlank())
        .map(Path::of);
    Path classLogs = Files.createTempDirectory("cold-start-classes-");
    Optional<Template> template = Template.find(root);
    try (LocalPipeline pipeline = LocalPipeline.start(root, PipelineSettings.DEFAULT_ACCOUNT,
        PipelineSettings.DEFAULT_REGION, "clean")) {
      Map<String, String> inputs = inputs(pipeline);
      Map<String, LambdaFunction> images = scannerImages(pipeline, root);
      Map<String, Timings> imageTimings = new LinkedHashMap<>();
      images.keySet().forEach(label -> imageTimings.put(label, new Timings()));
      Map<String, Map<String, Long>> phases = new LinkedHashMap<>();
      List<Long> scanner = new ArrayList<>();
      System.out.printf("%-18s %9s %7s %7s %7s %6s | %8s %7s %7s %7s | %8s%n", "function", "package", "classes",
          "init", "first", "warm", "primed:", "init", "first", "classes", baseline.isPresent() ? "baseline" : "");
      System.out.printf("%-18s %9s %7s %7s %7s %6s | %8s %7s %7s %7s | %8s%n", "", "", "init+1st", "", "", "", "",
          "", "", "init+1st", baseline.isPresent() ? "init" : "");
      for (PipelineSettings.Function function : PipelineSettings.FUNCTIONS) {
        String name = function.name();
        String payload = inputs.get(name);
        boolean snapStart = template.map(t -> SnapStart.enabled(t, function.logicalId())).orElse(false);
        Optional<LambdaFunction> baselineFunction =
            baseline.map(other -> baseline(pipeline, name, function.zip(other)));
        Timings cold = new Timings();
        Timings primed = new Timings();
        Timings base = new Timings();
        for (int i = 0; i < rounds; i++) {
          baselineFunction.ifPresent(other -> base.init.add(coldInit(pipeline, other)));
          cold.round(pipeline, name, payload, SnapStart.ON_DEMAND);
          if (name.equals(SCANNER)) {
            scanner.add(cold.scannerMillis);
            images.forEach((label, image) -> imageTimings.get(label).round(pipeline, image, payload));
          }
          if (snapStart) {
            primed.round(pipeline, name, payload, SnapStart.PRIMED);
          }
        }
        String classes =
            classes(pipeline, name, payload, SnapStart.ON_DEMAND, classLogs.resolve(name + "-cold.log"), phases);
        String primedClasses = snapStart
            ? classes(pipeline, name, payload, SnapStart.PRIMED,
                classLogs.resolve(name + "-primed.log"), new HashMap<>())
            : "-";
        System.out.printf("%-18s %5d KiB %9s %4d ms %4d ms %3d ms | %8s %7s %7s %9s | %8s%n", name,
            Files.size(function.zip(root)) / 1024, classes, median(cold.init), median(cold.first), median(cold.warm),
            "", snapStart ? median(primed.init) + " ms" : "-", snapStart ? median(primed.first) + " ms" : "-",
            primedClasses, baseline.isPresent() ? median(base.init) + " ms" : "");
        if (name.equals(SCANNER)) {
          imageTimings.forEach((label, image) -> System.out.printf(
              "%-18s %9s %9s %4d ms %4d ms %3d ms | %8s %7s %7s %9s |%n", label, "image", "-", median(image.init),
              median(image.first), median(image.warm), "", "-", "-", "-"));
        }
      }
      System.out.printf("%nwhere on-demand init goes (ms, one round with class-load logging):%n%-18s", "function");
      InitPhases.COLUMNS.forEach(column -> System.out.printf(" %12s", column));
      System.out.println();
      Map<String, Long> scanPath = phases.remove(FIRST_INVOCATION);
      phases.forEach((function, byPhase) -> {
        System.out.printf("%-18s", function);
        byPhase.values().forEach(millis -> System.out.printf(" %9d ms", millis));
        System.out.println();
      });
      System.out.printf("%nrun-qscanner's first invocation: the stand-in qscanner process ran %d ms of it (median)%n",
          median(scanner));
      if (scanPath != null) {
        System.out.printf("where it goes (ms, the class-load logging round; process = spawn and the scanner's run):%n");
        InitPhases.FIRST_INVOCATION_COLUMNS.forEach(column -> System.out.printf(" %13s", column));
        System.out.println();
        scanPath.values().forEach(millis -> System.out.printf(" %10d ms", millis));
        System.out.printf("%n%n");
      }
      System.out.printf("medians of %d rounds; init = JVM start to the first /next; first, warm = invocations;%n"
          + "primed = started as SnapStart starts a function (priming at the end of init); classes = loaded at the"
          + " end of init + by the first invocation; run-qscanner as image: its container image (own JVM command"
          + " line), without and with the AOT cache made in the image build%n", rounds);
    }
  }

  /** The timings of one function started one way. */
  private static final class Timings {
    final List<Long> init = new ArrayList<>();
    final List<Long> first = new ArrayList<>();
    final List<Long> warm = new ArrayList<>();
    /** run-qscanner: how long the scanner process ran in the last first invocation (its ScanResult's times). */
    long scannerMillis;

    void round(LocalPipeline pipeline, String name, String payload, Map<String, String> environment) {
      init.add(coldInit(pipeline, name, environment));
      invocations(pipeline, name, payload);
    }

    /** A function registered apart (an image of run-qscanner): registering it again makes the next start cold. */
    void round(LocalPipeline pipeline, LambdaFunction function, String payload) {
      init.add(coldInit(pipeline, function));
      invocations(pipeline, function.name(), payload);
    }

    private void invocations(LocalPipeline pipeline, String name, String payload) {
      long started = System.nanoTime();
      InvokeResult result = invoke(pipeline, name, payload);
      first.add(millisSince(started));
      JsonNode output = Samples.json(result.payloadText());
      if (output.hasNonNull("startedAt") && output.hasNonNull("finishedAt")) {
        scannerMillis = Duration.between(Instant.parse(output.get("startedAt").asText()),
            Instant.parse(output.get("finishedAt").asText())).toMillis();
      }
      warm.add(timed(pipeline, name, payload));
    }
  }

  private static long coldInit(LocalPipeline pipeline, String name, Map<String, String> environment) {
    pipeline.recycle(name, environment);
    long started = System.nanoTime();
    pipeline.lambda().warm(name);
    return millisSince(started);
  }

  /** Registering it again starts a fresh runtime on the next warm, as {@link LocalPipeline#recycle} does. */
  private static long coldInit(LocalPipeline pipeline, LambdaFunction function) {
    pipeline.lambda().register(function);
    long started = System.nanoTime();
    pipeline.lambda().warm(function.name());
    return millisSince(started);
  }

  /** The same function from another checkout's package, under its own name, started on demand. */
  private static LambdaFunction baseline(LocalPipeline pipeline, String name, Path zip) {
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("no baseline package " + zip + ": build that checkout first");
    }
    LambdaFunction own = pipeline.definition(name);
    Map<String, String> env = new HashMap<>(own.environment());
    env.putAll(SnapStart.ON_DEMAND);
    return new LambdaFunction(name + BASELINE, own.handler(), zip, env, own.timeoutSeconds(), own.memorySize(),
        own.maxConcurrency(), own.region(), own.accountId());
  }

  /**
   * run-qscanner as its container image, built here (cached by its inputs): plain, and with the AOT cache trained in
   * the image build. Each under a name of its own, with the zip function's settings, on demand, the scanner in the
   * image (its default scenario, clean, is this run's).
   */
  private static Map<String, LambdaFunction> scannerImages(LocalPipeline pipeline, Path root) {
    LambdaFunction own = pipeline.definition(SCANNER);
    Map<String, String> env = new HashMap<>(own.environment());
    env.putAll(SnapStart.ON_DEMAND);
    env.put("QSCANNER_PATH", ScannerImage.QSCANNER);
    Map<String, LambdaFunction> images = new LinkedHashMap<>();
    for (boolean aot : new boolean[] {false, true}) {
      String name = SCANNER + (aot ? "-image-aot" : "-image");
      LambdaFunction image = new LambdaFunction(name, own.handler(), ScannerImage.build(root, aot), env,
          own.timeoutSeconds(), own.memorySize(), own.maxConcurrency(), own.region(), own.accountId());
      pipeline.lambda().register(image);
      images.put(aot ? "  image+AOT cache" : "  as image", image);
    }
    return images;
  }

  /** Classes loaded by the end of init, and by the first invocation on top: "init+first"; the phases of init. */
  private static String classes(LocalPipeline pipeline, String name, String payload, Map<String, String> environment,
      Path log, Map<String, Map<String, Long>> phases) {
    Map<String, String> env = new HashMap<>(environment);
    String own = pipeline.definition(name).environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
    env.put("JAVA_TOOL_OPTIONS", (own + " -Xlog:class+load:file=" + log).strip());
    pipeline.recycle(name, env);
    pipeline.lambda().warm(name);
    long atInit = lines(log);
    timed(pipeline, name, payload);
    long afterFirst = lines(log);
    pipeline.recycle(name, environment);
    phases.put(name, InitPhases.of(log, atInit));
    if (name.equals(SCANNER)) {
      phases.put(FIRST_INVOCATION, InitPhases.firstInvocation(log, atInit, afterFirst));
    }
    return atInit + "+" + (afterFirst - atInit);
  }

  private static long lines(Path log) {
    try (var lines = Files.lines(log)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One sample of events/ per function, pointed at this run's secret. */
  private static Map<String, String> inputs(LocalPipeline pipeline) {
    Map<String, String> files = Map.of(
        "resolve-target", "direct/scan-function.json",
        "fetch-credentials", "fetch-credentials/request.json",
        "run-qscanner", "run-qscanner/request.json",
        "store-results", "store-results/scanned.json",
        "notify", "notify/scanned.json");
    Map<String, String> inputs = new HashMap<>();
    files.forEach((function, file) -> inputs.put(function, Samples.text(Samples.events().resolve(file))
        .replace(Samples.EXAMPLE_SECRET_ARN, pipeline.secretArn())
        .replace("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", pipeline.secretVersionId())));
    pipeline.ensureTarget(Samples.json(inputs.get("resolve-target")));
    inputs.put("run-qscanner", scanRequest(pipeline, inputs.get("resolve-target")));
    return inputs;
  }

  /**
   * run-qscanner's input as the state machine builds it, from resolve-target's and fetch-credentials' answers for the
   * emulator's target: the sample's code hash is not the target's, and run-qscanner refuses to scan changed code.
   */
  private static String scanRequest(LocalPipeline pipeline, String resolveInput) {
    JsonNode resolved = Samples.json(invoke(pipeline, "resolve-target", resolveInput).payloadText());
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.set("scanId", resolved.get("scanId"));
    request.set("target", resolved.get("target"));
    request.set("credentials",
        Samples.json(invoke(pipeline, "fetch-credentials", request.toString()).payloadText()));
    return request.toString();
  }

  private static long timed(LocalPipeline pipeline, String function, String payload) {
    long started = System.nanoTime();
    invoke(pipeline, function, payload);
    return millisSince(started);
  }

  private static InvokeResult invoke(LocalPipeline pipeline, String function, String payload) {
    InvokeResult result = pipeline.lambda().invoke(function, payload);
    if (!result.succeeded()) {
      throw new IllegalStateException(function + " failed: " + result);
    }
    return result;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static long median(List<Long> values) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
