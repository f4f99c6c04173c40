package com.qualys.lambdascanner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.emulator.testfn.ProbeHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What LocalLambda answers instead of running the function: SnapStart errors, timeouts, the concurrency 429. */
class InvokeFaultsIT {

  private static LocalLambda sut;

  @BeforeAll
  static void start() throws Exception {
    sut = LocalLambda.start();
    sut.register(LambdaFunction.of("probe", ProbeHandler.class.getName() + "::handleRequest",
        LocalLambdaIT.packageProbe()).withTimeoutSeconds(10).withMemorySize(256).withMaxConcurrency(3));
    sut.warm("probe");
  }

  @AfterAll
  static void stop() {
    if (sut != null) {
      sut.close();
    }
  }

  @Test
  void invoke_whenFaultKeyedToAPayload_expectationOnlyThoseInvocationsRefused() {
    sut.failNext("probe", "target-a", 1, "SnapStartNotReadyException");
    sut.failNext("probe", "target-a", 1, "SnapStartTimeoutException");
    sut.failNext("probe", "target-a", 1, "SnapStartException");

    InvokeResult other = sut.invoke("probe", "{\"name\":\"target-b\"}");
    InvokeResult notReady = sut.invoke("probe", "{\"name\":\"target-a\"}");
    InvokeResult timedOut = sut.invoke("probe", "{\"name\":\"target-a\"}");
    InvokeResult hookFailed = sut.invoke("probe", "{\"name\":\"target-a\"}");
    InvokeResult ready = sut.invoke("probe", "{\"name\":\"target-a\"}");

    assertThat(other.succeeded()).as(other.toString()).isTrue();
    assertThat(notReady.statusCode()).isEqualTo(409);
    assertThat(notReady.errorCode()).isEqualTo("SnapStartNotReadyException");
    assertThat(notReady.payloadText()).contains("\"Type\":\"User\"").contains("\"Message\":\"Lambda is initializing");
    assertThat(timedOut.statusCode()).isEqualTo(408);
    assertThat(timedOut.errorCode()).isEqualTo("SnapStartTimeoutException");
    assertThat(hookFailed.statusCode()).isEqualTo(400);
    assertThat(hookFailed.errorCode()).isEqualTo("SnapStartException");
    assertThat(ready.succeeded()).as("once the faults are used up: " + ready).isTrue();
  }

  @Test
  void invoke_whenFunctionTimeoutInjected_expectationSandboxTimedoutAsLambdaAnswersIt() {
    sut.failNext("probe", 1, "Sandbox.Timedout");

    InvokeResult result = sut.invoke("probe", "{}");

    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.functionError()).isEqualTo("Unhandled");
    assertThat(result.payloadText()).contains("\"errorType\":\"Sandbox.Timedout\"")
        .contains("Task timed out after 10.00 seconds");
  }

  @Test
  void invoke_whenReservedConcurrencyInUse_expectation429WithReasonThenServedAgain() throws Exception {
    sut.reserveConcurrency("probe", 1);
    int before = sut.throttles("probe");
    AtomicInteger refusals = new AtomicInteger();
    try {
      // The slow one retries until it holds the only slot (a quick one may hold it for a moment, as in Lambda).
      CompletableFuture<InvokeResult> slow = CompletableFuture.supplyAsync(() -> {
        InvokeResult result = sut.invoke("probe", "{\"millis\": 5000}");
        while (result.statusCode() == 429) {
          refusals.incrementAndGet();
          result = sut.invoke("probe", "{\"millis\": 5000}");
        }
        return result;
      });
      InvokeResult refused = null;
      while (refused == null && !slow.isDone()) {
        InvokeResult quick = sut.invoke("probe", "{}");
        if (quick.statusCode() == 429) {
          refusals.incrementAndGet();
          refused = quick;
        }
      }
      assertThat(slow.get().succeeded()).isTrue();
      InvokeResult after = sut.invoke("probe", "{}");

      assertThat(refused).as("refused while the slot was taken").isNotNull();
      assertThat(refused.errorCode()).isEqualTo("TooManyRequestsException");
      assertThat(refused.payloadText()).contains("\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"");
      assertThat(sut.throttles("probe") - before).isEqualTo(refusals.get());
      assertThat(after.succeeded()).as(after.toString()).isTrue();
    } finally {
      sut.reserveConcurrency("probe", Integer.MAX_VALUE);
    }
  }
}
