package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IAM as AWS applies it, for every request that reaches the emulator: who makes it (the access key's assumed role, or
 * the state machine's role for moto's interpreter), what it needs ({@link AwsRequest}), and whether the policies the
 * stack would have (rendered from its templates by {@link PolicyRenderer}) allow it. The decision is
 * {@code @cloud-copilot/iam-simulate}'s, in one long-lived node process ({@link IamEvaluator}).
 *
 * <p>The test harness itself (moto's default key {@code testing}, and the roles it assumes to set up other accounts)
 * stands for whoever deploys the stack and seeds the scenario: its requests are not evaluated. Every other access key
 * must be one the emulator saw STS issue (or one registered for a function's runtime); an unknown key is refused.
 */
public final class Authorization implements AutoCloseable {

  /** The header the patched interpreter (moto-patches/sitecustomize.py) sends: the state machine's role ARN. */
  static final String STATE_MACHINE_ROLE_HEADER = "x-local-state-machine-role";

  /**
   * Who signed a request. {@code sessionPolicy}: the JSON the AssumeRole call passed as {@code Policy}, or null. An AWS
   * service acting as itself ({@link #service}) has no role: {@code roleArn} and {@code account} are null and
   * {@code sessionArn} is the service principal.
   */
  record Principal(String roleArn, String sessionArn, String account, String sessionPolicy) {

    static Principal service(String servicePrincipal) {
      if (!servicePrincipal.matches("[a-z0-9.-]+\\.amazonaws\\.com")) {
        throw new IllegalArgumentException("not a service principal: " + servicePrincipal);
      }
      return new Principal(null, servicePrincipal, null, null);
    }

    boolean isService() {
      return roleArn == null;
    }

    /** The ARN a decision names: the role, or the service principal. */
    String name() {
      return isService() ? sessionArn : roleArn;
    }

    static Principal assumed(String roleArn, String sessionName, String sessionPolicy) {
      String account = AwsRequest.accountOf(roleArn, "");
      String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
      return new Principal(roleArn, "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + sessionName, account,
          sessionPolicy);
    }
  }

  /**
   * One evaluated check: who, what, on what, the decision and the statements that made it ({@code policy#Sid}; a
   * refusal without a Deny names no statement: no policy allowed it).
   */
  public record Decision(String principal, String action, String resource, boolean allowed, List<String> allowedBy,
      List<String> deniedBy, String error) {}

  private final IamEvaluator evaluator;
  private final Set<String> harnessKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, Principal> principals = new ConcurrentHashMap<>();
  private final Map<String, String> bucketKeys = new ConcurrentHashMap<>();
  private final List<Decision> decisions = new CopyOnWriteArrayList<>();
  /** What enforcement cost this run, on the request path: checks evaluated and the time they took (all threads). */
  private final AtomicLong evaluated = new AtomicLong();
  private final AtomicLong evaluationNanos = new AtomicLong();
  private final long startedNanos = System.nanoTime();
  private final Path log;
  /** The test running now, set by the test suite's listener; every allowed request is recorded against it. */
  private static volatile String currentTest = "";

  private Authorization(IamEvaluator evaluator, Path log) {
    this.evaluator = evaluator;
    this.log = log;
    harnessKeys.add("testing");
  }

  /**
   * Starts the evaluator over the rendered policies. {@code nodeProjectRoot}: the folder whose node_modules holds
   * {@code @cloud-copilot/iam-simulate} (the project root, after {@code npm ci}); {@code log}: one line per decision.
   */
  public static Authorization start(Path nodeProjectRoot, Path renderedPolicies, Path log) {
    IamEvaluator evaluator = IamEvaluator.start(nodeProjectRoot, renderedPolicies, log);
    try {
      Files.createDirectories(log.getParent());
      return new Authorization(evaluator, log);
    } catch (IOException e) {
      evaluator.close();
      throw new UncheckedIOException("cannot create the folder of the IAM decisions' log", e);
    }
  }

  /** Whether enforcement is on: {@code AUTHZ=off} (environment) or {@code -Dauthz=off} turns it off, for debugging. */
  public static boolean enabled() {
    String setting = System.getProperty("authz", System.getenv().getOrDefault("AUTHZ", "on"));
    return !setting.equalsIgnoreCase("off");
  }

  /** Credentials the harness assumed for itself (another account's set-up): not evaluated, as {@code testing}. */
  public void harnessKey(String accessKeyId) {
    harnessKeys.add(accessKeyId);
  }

  /** Credentials of a role session Lambda gave a function's runtime (assumed by the harness, as the service does). */
  public void functionSession(String accessKeyId, String roleArn, String sessionName) {
    principals.put(accessKeyId, Principal.assumed(roleArn, sessionName, null));
  }

  /** The bucket's default encryption key (SSE-KMS): objects written without an encryption header use it. */
  public void bucketKey(String bucket, String keyArn) {
    bucketKeys.put(bucket, keyArn);
  }

  /**
   * The test whose requests come next ({@code Class#method}): each statement that allows one of them, and each Deny
   * statement that refuses one, is recorded against it in the file the system property {@code authz.usage} names,
   * for {@code make iam-report}.
   */
  public static void currentTest(String name) {
    currentTest = name == null ? "" : name;
  }

  /** Every decision so far, in order. */
  public List<Decision> decisions() {
    return List.copyOf(decisions);
  }

  /**
   * Evaluates one request as a session of {@code roleArn} (a role of the rendered templates), as {@link Enforcement}
   * would: for tests of the policies themselves. {@code context}: the request's own keys (an S3 upload's encryption
   * headers, {@code kms:ViaService}).
   */
  public Decision evaluate(String roleArn, String action, String resource, Map<String, ?> context) {
    String resourceAccount = AwsRequest.accountOf(resource, AwsRequest.accountOf(roleArn, ""));
    String region = resource.split(":").length > 3 && !resource.split(":")[3].isEmpty()
        ? resource.split(":")[3] : "us-east-1";
    return decide(Principal.assumed(roleArn, "test", null),
        new AwsRequest.Check(action, resource, resourceAccount, context), region);
  }

  /**
   * Evaluates one request an AWS service makes as itself ({@code lambda.amazonaws.com} assuming a function's role,
   * {@code events.amazonaws.com} sending to a queue, {@code cloudwatch.amazonaws.com} publishing to a topic): no
   * identity policy applies, so only the resource's own policy (the role's trust, the queue's, topic's or key's policy)
   * can allow it, as on AWS. {@code context}: what the service says it acts for ({@code aws:SourceArn},
   * {@code aws:SourceAccount}) and the request's own keys. Logged and recorded for {@code make iam-report} like any
   * request.
   */
  public Decision serviceRequest(String servicePrincipal, String action, String resource, Map<String, ?> context) {
    Object sourceAccount = context.get("aws:SourceAccount");
    String resourceAccount = AwsRequest.accountOf(resource, sourceAccount == null ? "" : sourceAccount.toString());
    String[] parts = resource.split(":");
    String region = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "us-east-1";
    return decide(Principal.service(servicePrincipal), new AwsRequest.Check(action, resource, resourceAccount, context),
        region);
  }

  /** The principal of an access key, or null for the harness; {@link UnknownPrincipal} for a key nobody issued. */
  Principal principalOf(String accessKeyId, String stateMachineRole) throws UnknownPrincipal {
    if (stateMachineRole != null && !stateMachineRole.isBlank()) {
      return Principal.assumed(stateMachineRole, "states-execution", null);
    }
    if (accessKeyId == null) {
      throw new UnknownPrincipal("an unsigned request");
    }
    if (harnessKeys.contains(accessKeyId)) {
      return null;
    }
    Principal principal = principals.get(accessKeyId);
    if (principal == null) {
      throw new UnknownPrincipal("access key " + accessKeyId + " (issued by no STS call the emulator saw)");
    }
    return principal;
  }

  static final class UnknownPrincipal extends Exception {
    UnknownPrincipal(String message) {
      super(message);
    }
  }

  /** An AssumeRole the caller was allowed: the new key acts as that role, bounded by the session policy. */
  void assumed(Principal caller, String accessKeyId, String roleArn, String sessionName, String sessionPolicy) {
    if (caller == null) {
      harnessKeys.add(accessKeyId);
      return;
    }
    principals.put(accessKeyId, Principal.assumed(roleArn, sessionName, sessionPolicy));
  }

  /** The checks the request needs, with those S3 makes on its behalf on the bucket's KMS key for a write. */
  List<AwsRequest.Check> implicitWriteChecks(AwsRequest request, String bucket, String region) {
    List<AwsRequest.Check> checks = new ArrayList<>(request.checks());
    if (request.service().equals("s3") && request.checks().getFirst().action().equals("s3:PutObject")) {
      Map<String, ?> context = request.checks().getFirst().context();
      String sse = (String) context.get("s3:x-amz-server-side-encryption");
      String key = (String) context.get("s3:x-amz-server-side-encryption-aws-kms-key-id");
      String kmsKey = sse == null ? bucketKeys.get(bucket) : sse.startsWith("aws:kms") ? key : null;
      if (sse != null && sse.startsWith("aws:kms") && key == null) {
        kmsKey = bucketKeys.get(bucket);
      }
      if (kmsKey != null) {
        checks.add(kmsThroughS3("kms:GenerateDataKey", kmsKey, region));
      }
    }
    return checks;
  }

  /** What S3 asks KMS for the caller when it reads an object encrypted with {@code keyId} (kms:ViaService). */
  AwsRequest.Check decryptThroughS3(String keyId, String region) {
    return kmsThroughS3("kms:Decrypt", keyId, region);
  }

  private static AwsRequest.Check kmsThroughS3(String action, String key, String region) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("kms:ViaService", "s3." + region + ".amazonaws.com");
    return new AwsRequest.Check(action, key, AwsRequest.accountOf(key, ""), context);
  }

  /** Evaluates one check for the principal; logs and records the decision. */
  Decision decide(Principal principal, AwsRequest.Check check, String region) {
    long started = System.nanoTime();
    try {
      return evaluate(principal, check, region);
    } finally {
      evaluated.incrementAndGet();
      evaluationNanos.addAndGet(System.nanoTime() - started);
    }
  }

  private Decision evaluate(Principal principal, AwsRequest.Check check, String region) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("aws:SecureTransport", "true");
    if (principal.isService()) {
      context.put("aws:PrincipalServiceName", principal.sessionArn());
      context.put("aws:PrincipalIsAWSService", "true");
    } else {
      context.put("aws:PrincipalArn", principal.roleArn());
      context.put("aws:PrincipalAccount", principal.account());
      context.put("aws:PrincipalType", "AssumedRole");
      context.put("aws:userid",
          "AROALOCAL:" + principal.sessionArn().substring(principal.sessionArn().lastIndexOf('/') + 1));
      context.put("aws:PrincipalIsAWSService", "false");
    }
    context.put("aws:RequestedRegion", region);
    context.put("aws:ResourceAccount", check.resourceAccount());
    if (check.action().startsWith("kms:") && !principal.isService()) {
      context.put("kms:CallerAccount", principal.account());
    }
    context.putAll(check.context());
    long id = evaluator.nextId();
    String request = IamEvaluator.request(id, principal.sessionArn(), principal.isService() ? null : principal.roleArn(),
        principal.sessionPolicy(), check, context);
    IamEvaluator.Answer answer = evaluator.ask(id, request);
    Decision result = new Decision(principal.name(), check.action(), check.resource(), answer.allowed(),
        answer.allowedBy(), answer.deniedBy(), answer.error());
    decisions.add(result);
    record(result, principal);
    if (!result.allowed() && System.getProperty("authz.debug") != null) {
      write("AUTHZ DEBUG " + request + " -> " + answer.line());
    }
    return result;
  }

  /** A request refused before any policy was read (unknown principal or request shape): logged as such. */
  void refusedUnknown(String what, String why) {
    write("AUTHZ UNKNOWN " + what + ": " + why + " (refused)");
  }

  private void record(Decision decision, Principal principal) {
    String usage = System.getProperty("authz.usage");
    if (usage != null && !currentTest.isEmpty()) {
      // An allowed request: the statements that allowed it. A refused one: the explicit Deny statements that decided
      // it (a Deny a test runs into is exercised too), marked "refused"; an implicit denial names no statement.
      StringBuilder lines = new StringBuilder();
      for (String statement : decision.allowed() ? decision.allowedBy() : decision.deniedBy()) {
        if (decision.allowed() || statement.contains("#")) {
          lines.append(statement).append('\t').append(decision.action()).append('\t').append(currentTest)
              .append(decision.allowed() ? "" : "\trefused").append('\n');
        }
      }
      appendUsage(Path.of(usage), lines.toString());
    }
    String statements = decision.allowed()
        ? String.join(" ", decision.allowedBy())
        : decision.deniedBy().isEmpty() ? "no statement allows it" : "denied by " + String.join(" ", decision.deniedBy());
    write((decision.allowed() ? "AUTHZ ALLOW " : "AUTHZ DENY ") + principal.sessionArn() + " " + decision.action()
        + " " + decision.resource() + " : " + statements
        + (decision.error() == null ? "" : " (" + decision.error() + ")")
        + (currentTest.isEmpty() ? "" : " [" + currentTest + "]"));
  }

  private static synchronized void appendUsage(Path file, String lines) {
    try {
      Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot record IAM usage in " + file + ": " + e);
    }
  }

  private synchronized void write(String line) {
    try {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println(line);
    }
  }

  /**
   * Ends the evaluator. The run's cost goes into its log ({@code AUTHZ SUMMARY}) and, when the system property
   * {@code authz.overhead} names a file, as one line there ({@code make authz-overhead} sums them over a build):
   * {@code <checks>\t<seconds evaluating>\t<seconds the run lasted>\t<log>}.
   */
  @Override
  public void close() {
    evaluator.close();
    double seconds = evaluationNanos.get() / 1e9;
    double lasted = (System.nanoTime() - startedNanos) / 1e9;
    write(String.format(java.util.Locale.ROOT, "AUTHZ SUMMARY %d checks, %.3f s evaluating, run %.1f s",
        evaluated.get(), seconds, lasted));
    String overhead = System.getProperty("authz.overhead");
    if (overhead != null) {
      appendUsage(Path.of(overhead), String.format(java.util.Locale.ROOT, "%d\t%.3f\t%.1f\t%s%n", evaluated.get(),
          seconds, lasted, log));
    }
  }
}
