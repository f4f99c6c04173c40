package com.qualys.lambdascanner.common.priming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** A real SDK client on the priming HTTP client and credentials: what priming runs, and that nothing is sent. */
class PrimingTest {

  private static final String REAL_KEY = "AKIAREALKEYEXAMPLE00";

  private final Priming priming = new Priming();
  private final List<SdkHttpRequest> sent = new ArrayList<>();
  private final List<SdkHttpRequest> signed = new ArrayList<>();

  /** The real client's stand-in: records what would have left the process, and answers nothing. */
  private final SdkHttpClient network = new SdkHttpClient() {
    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      sent.add(request.httpRequest());
      throw new IllegalStateException("sent to the network");
    }

    @Override
    public void close() {}
  };

  private final SnsClient sns = SnsClient.builder()
      .httpClient(new PrimingHttpClient(network, priming))
      .credentialsProvider(new PrimingCredentials(
          StaticCredentialsProvider.create(AwsBasicCredentials.create(REAL_KEY, "real-secret")), priming))
      .region(Region.US_EAST_1)
      .endpointOverride(URI.create("https://sns.us-east-1.amazonaws.com"))
      .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
          signed.add(context.httpRequest());
        }
      }))
      .build();

  @Test
  void run_whenAStepCallsAws_marshalsAndSignsWithTheFakeKeyAndSendsNothing() {
    Map<String, Object> outcomes = priming.run(steps("publish", () -> sns.publish(b -> b
        .topicArn("arn:aws:sns:us-east-1:123456789012:topic").message("priming"))));

    assertThat(sent).isEmpty();
    assertThat(signed).singleElement().satisfies(request -> {
      assertThat(request.firstMatchingHeader("Authorization")).get().asString()
          .contains("Credential=" + PrimingCredentials.FAKE.accessKeyId()).doesNotContain(REAL_KEY);
    });
    assertThat(outcomes).containsEntry("publish", "answered in process: SnsException")
        .containsEntry("requestsAnsweredInProcess", 1);
  }

  @Test
  void run_whenTheStepHasAnAnswer_unmarshalsItInThatStepOnly() {
    List<String> ids = new ArrayList<>();
    Priming.Answer published = new Priming.Answer(request -> PrimingSteps.signedFor(request, "sns"), "text/xml",
        "<PublishResponse><PublishResult><MessageId>primed-id</MessageId></PublishResult></PublishResponse>");
    Runnable publish = () -> ids.add(sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("m"))
        .messageId());

    Map<String, Runnable> twoSteps = steps("publish", publish);
    twoSteps.put("again", publish);

    Map<String, Object> outcomes = priming.run(twoSteps, Map.of("publish", published));
    Map<String, Object> later = priming.run(steps("publish", publish));

    assertThat(outcomes).containsEntry("publish", "completed")
        .containsEntry("again", "answered in process: SnsException");
    assertThat(ids).containsExactly("primed-id");
    assertThat(later).containsEntry("publish", "answered in process: SnsException");
    assertThat(sent).isEmpty();
  }

  @Test
  void run_whenAStepFailsOtherwise_namesTheExceptionAndStillTurnsTheSwitchOff() {
    Map<String, Object> outcomes = priming.run(steps("broken", () -> {
      throw new IllegalArgumentException("a bug in a priming step");
    }));

    assertThat(outcomes).containsEntry("broken", "ended in java.lang.IllegalArgumentException");
    assertThat(priming.active()).isFalse();
  }

  @Test
  void outsidePriming_requestsGoToTheNetworkWithTheRealCredentials() {
    assertThatThrownBy(() -> sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:123456789012:topic").message("m")))
        .isNotInstanceOf(AwsServiceException.class);

    assertThat(sent).singleElement().satisfies(request ->
        assertThat(request.firstMatchingHeader("Authorization")).get().asString().contains("Credential=" + REAL_KEY));
  }

  private static Map<String, Runnable> steps(String name, Runnable step) {
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put(name, step);
    return steps;
  }
}
