package com.qualys.lambdascanner.testing;

import com.qualys.lambdascanner.emulator.Authorization;
import com.qualys.lambdascanner.emulator.LocalLambda;
import com.qualys.lambdascanner.emulator.MotoServer;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one way a function's integration test gets AWS: moto behind the local emulator's enforcing endpoint, with the
 * IAM the deployed stack would have (template.yaml, and templates/spoke.yaml in each spoke account, rendered with
 * this class's parameters and the names of what it created), and SDK clients that act AS a principal of that stack.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EnforcedAws AWS = EnforcedAws.stack().build();
 *
 * S3Client asStoreResults = AWS.client(S3Client.builder(), "StoreResultsFunctionRole"); // evaluated as that role
 * S3Client harness = AWS.harness(S3Client.builder());                                    // the deployer: not evaluated
 * </pre>
 *
 * <p>Per test class: the stack's results bucket (with its own KMS key as default encryption, as ResultsBucket has)
 * and whatever {@link Builder#setup} creates, then the policies rendered with those names. Before each test the
 * bucket is emptied. Per test JVM: one moto and one endpoint, shared by the classes. {@code AUTHZ=off} (or
 * {@code -Dauthz=off}) is the only way to turn evaluation off, for debugging; the extension warns when it is.
 */
public final class EnforcedAws implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** The stack's account (moto's default: the harness's {@code testing} key acts in it) and region. */
  public static final String ACCOUNT = "123456789012";
  public static final String REGION = "us-east-1";
  public static final String STACK_NAME = "qualys-lambda-scanner";
  public static final String SPOKE_STACK_NAME = "qualys-lambda-scanner-spoke";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
  private static final AwsCredentialsProvider HARNESS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  private static final List<String> DEFAULT_PROPERTIES =
      List.of("aws.endpointUrl", "aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken", "aws.region");

  private static LocalLambda endpoint;
  private static MotoServer moto;

  private final Builder spec;
  private final Map<String, String> roles = new HashMap<>();
  private final Map<String, String> physical = new LinkedHashMap<>();
  private final Map<String, String> savedProperties = new HashMap<>();
  /** The clients this class got, closed after its last test. */
  private final List<AutoCloseable> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Authorization authorization;
  private String bucket;
  private String keyArn;
  private String secretArn;

  private EnforcedAws(Builder spec) {
    this.spec = spec;
  }

  /** template.yaml with its defaults; {@link Builder} names the differences. */
  public static Builder stack() {
    return new Builder();
  }

  /** What the class's stack differs in from template.yaml's defaults. */
  public static final class Builder {
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<String> spokes = new ArrayList<>();
    private final List<Consumer<Setup>> setups = new ArrayList<>();
    private boolean qualysSecret;

    /** A template parameter, as {@code sam deploy --parameter-overrides} would set it. */
    public Builder parameter(String name, String value) {
      parameters.put(name, value);
      return this;
    }

    /** templates/spoke.yaml deployed in {@code account}, trusting this stack (hub mode: set DeploymentMode too). */
    public Builder spoke(String account) {
      spokes.add(account);
      return this;
    }

    /** Hub mode: SpokeAccountIds, SpokeRoleName, SpokeExternalId, and templates/spoke.yaml in each spoke account. */
    public Builder hub(String spokeRoleName, String externalId, String... spokeAccounts) {
      parameter("DeploymentMode", "hub");
      parameter("SpokeAccountIds", String.join(",", spokeAccounts));
      parameter("SpokeRoleName", spokeRoleName);
      parameter("SpokeExternalId", externalId);
      for (String account : spokeAccounts) {
        spoke(account);
      }
      return this;
    }

    /** The stack's own Qualys secret (QualysSecret, as when no QualysSecretArn is given): see {@link #qualysSecret}. */
    public Builder qualysSecret() {
      qualysSecret = true;
      return this;
    }

    /** Creates, as the deployer, what the stack has besides the bucket, and names it for the policies. */
    public Builder setup(Consumer<Setup> setup) {
      setups.add(setup);
      return this;
    }

    public EnforcedAws build() {
      return new EnforcedAws(this);
    }
  }

  /** What a {@link Builder#setup} sees: the deployer's clients, the bucket, and where to name what it created. */
  public interface Setup {
    <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C harness(B builder);

    String bucket();

    /** The stack's resource {@code logicalId} is this one: its Ref and Arn in the rendered policies. */
    void physical(String logicalId, String ref, String arn);

    /** A parameter only known once the resources exist (e.g. QualysSecretArn). */
    void parameter(String name, String value);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startEmulator();
    bucket = "results-" + context.getRequiredTestClass().getSimpleName().toLowerCase() + "-" + suffix(6);
    keyArn = HarnessRequests.createKey(moto, "the results bucket's key (ResultsKey)");
    HarnessRequests.createEncryptedBucket(moto, bucket, keyArn);
    physical.put("ResultsBucket", bucket);
    physical.put("ResultsKey", keyArn);
    Map<String, String> parameters = new LinkedHashMap<>(spec.parameters);
    Map<String, Map<String, String>> names = new LinkedHashMap<>();
    names.put("ResultsBucket", Map.of("Ref", bucket, "Arn", "arn:aws:s3:::" + bucket));
    names.put("ResultsKey", Map.of("Ref", keyArn.substring(keyArn.indexOf('/') + 1), "Arn", keyArn));
    Setup setup = new Setup() {
      @Override
      public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C harness(B builder) {
        return EnforcedAws.this.harness(builder);
      }

      @Override
      public String bucket() {
        return bucket;
      }

      @Override
      public void physical(String logicalId, String ref, String arn) {
        String name = arn.substring(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
        names.put(logicalId, Map.of("Ref", ref, "Arn", arn, "Name", name, "TopicName", name));
        physical.put(logicalId, ref);
      }

      @Override
      public void parameter(String name, String value) {
        parameters.put(name, value);
      }
    };
    if (spec.qualysSecret) {
      secretArn = HarnessRequests.createSecret(moto, STACK_NAME + "/qualys-" + bucket);
      setup.physical("QualysSecret", secretArn, secretArn);
    }
    spec.setups.forEach(s -> s.accept(setup));
    Path rendered = StackRender.render(parameters, names, spec.spokes);
    roles.putAll(StackRender.roles(rendered));
    if (Authorization.enabled()) {
      Path logs = StackRender.logFolder();
      authorization = Authorization.start(Events.root(), rendered, logs.resolve("authz.log"));
      authorization.bucketKey(bucket, keyArn);
      endpoint.enforce(authorization);
    } else {
      System.err.println("WARNING " + context.getDisplayName() + ": AUTHZ=off, no IAM policy is enforced");
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    HarnessRequests.emptyBucket(moto, bucket);
    Authorization.currentTest(context.getRequiredTestClass().getSimpleName() + "#"
        + context.getRequiredTestMethod().getName());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Authorization.currentTest(null);
    endpoint.clearServiceFaults();
    endpoint.clearInvokeFaults();
    savedProperties.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
    savedProperties.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    clients.clear();
    if (authorization != null) {
      endpoint.enforce(null);
      authorization.close();
      authorization = null;
    }
  }

  /**
   * A client acting as a session of the stack's role {@code roleLogicalId} (e.g. StoreResultsFunctionRole). Closed
   * after the class's last test, as every client from here.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String roleLogicalId) {
    return client(builder, roleLogicalId, REGION);
  }

  /** As {@link #client(AwsClientBuilder, String)}, for requests to another region (a target's, a spoke's). */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String roleLogicalId,
      String region) {
    return closedAfterAll(builder.endpointOverride(endpointUri()).region(Region.of(region))
        .credentialsProvider(credentials(roleLogicalId)).httpClient(HTTP).build());
  }

  /** A client of whoever deploys the stack and seeds the scenario: straight to moto, not evaluated. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C harness(B builder) {
    return closedAfterAll(builder.endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(HARNESS).httpClient(HTTP).build());
  }

  private <C> C closedAfterAll(C client) {
    if (client instanceof AutoCloseable closeable) {
      clients.add(closeable);
    }
    return client;
  }

  /**
   * Fresh session credentials of the stack's role {@code roleLogicalId}, as Lambda hands them to the function's
   * runtime; {@code account:logicalId} names a spoke's role (e.g. {@code 210987654321:ScannerRole}).
   */
  public AwsCredentialsProvider credentials(String roleLogicalId) {
    String accessKeyId = "ASIA" + suffix(16).toUpperCase();
    if (authorization != null) {
      authorization.functionSession(accessKeyId, role(roleLogicalId), roleLogicalId + "-session");
    }
    return StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, suffix(40), suffix(64)));
  }

  /**
   * Until the test ends, the SDK's defaults (system properties) act as the role through the enforcing endpoint: for
   * tests of a handler that builds its clients from the environment, as it does in Lambda.
   */
  public void actAsDefault(String roleLogicalId) {
    var credentials = (AwsSessionCredentials) credentials(roleLogicalId).resolveCredentials();
    setProperty("aws.endpointUrl", endpointUri().toString());
    setProperty("aws.accessKeyId", credentials.accessKeyId());
    setProperty("aws.secretAccessKey", credentials.secretAccessKey());
    setProperty("aws.sessionToken", credentials.sessionToken());
    setProperty("aws.region", REGION);
  }

  /**
   * The variables Lambda gives a function's runtime, acting as the role through the enforcing endpoint: for a test
   * that runs the deployment package in a process of its own.
   */
  public Map<String, String> environment(String roleLogicalId) {
    var credentials = (AwsSessionCredentials) credentials(roleLogicalId).resolveCredentials();
    return Map.of("AWS_ENDPOINT_URL", endpointUri().toString(), "AWS_REGION", REGION,
        "AWS_ACCESS_KEY_ID", credentials.accessKeyId(), "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(),
        "AWS_SESSION_TOKEN", credentials.sessionToken());
  }

  private void setProperty(String name, String value) {
    if (!DEFAULT_PROPERTIES.contains(name)) {
      throw new IllegalArgumentException(name);
    }
    savedProperties.putIfAbsent(name, System.getProperty(name));
    System.setProperty(name, value);
  }

  /** The ARN of the rendered role ({@code logicalId}, or {@code account:logicalId} for a spoke's). */
  public String role(String logicalId) {
    String arn = roles.get(logicalId);
    if (arn == null) {
      throw new IllegalArgumentException("the stack renders no role " + logicalId + " (" + roles.keySet() + ")");
    }
    return arn;
  }

  /** The enforcing endpoint every stack principal's client talks to (fault injection, runtimes). */
  public LocalLambda endpoint() {
    return endpoint;
  }

  /** The endpoint's URI, for code that builds its own clients. */
  public URI endpointUri() {
    return endpoint.endpoint();
  }

  /** moto itself, for the harness's requests (Security Hub read-back, roles of targets). */
  public MotoServer moto() {
    return moto;
  }

  /** The stack's results bucket (ResultsBucket): emptied before each test. */
  public String bucket() {
    return bucket;
  }

  /** The results bucket's KMS key (ResultsKey), its default encryption. */
  public String keyArn() {
    return keyArn;
  }

  /** A version of the stack's Qualys secret. */
  public record SecretVersion(String arn, String versionId) {}

  /** The stack's Qualys secret ({@link Builder#qualysSecret}) now holds {@code value}: its new AWSCURRENT version. */
  public SecretVersion qualysSecret(String value) {
    if (secretArn == null) {
      throw new IllegalStateException("the stack has no Qualys secret: EnforcedAws.stack().qualysSecret()");
    }
    return new SecretVersion(secretArn, HarnessRequests.putSecretValue(moto, secretArn, value));
  }

  /** The enforcing authorization (its decisions), or null with AUTHZ=off. */
  public Authorization authorization() {
    return authorization;
  }

  private static synchronized void startEmulator() {
    if (endpoint != null) {
      return;
    }
    endpoint = LocalLambda.start();
    moto = MotoServer.start(endpoint.port());
    endpoint.forwardTo(moto.endpoint());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoint.close();
      moto.close();
    }));
  }

  private static String suffix(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
