package com.qualys.lambdascanner.emulator.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function that does what its input says ({@code {"action": "...", "millis": n}}) and reports what it sees of its
 * runtime: the tests' stand-in for a real handler. Packaged alone in a zip, as a real deployment package.
 */
public class ProbeHandler implements RequestStreamHandler {

  private static final Pattern ACTION = Pattern.compile("\"action\"\\s*:\\s*\"(\\w+)\"");
  private static final Pattern MILLIS = Pattern.compile("\"millis\"\\s*:\\s*(\\d+)");
  private static int invocations;

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    String input = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    invocations++;
    Matcher action = ACTION.matcher(input);
    Matcher millis = MILLIS.matcher(input);
    long wait = millis.find() ? Long.parseLong(millis.group(1)) : 0;
    switch (action.find() ? action.group(1) : "echo") {
      case "fail" -> throw new IllegalStateException("asked to fail");
      case "exit" -> System.exit(3);
      case "spawn" -> {
        Process child = new ProcessBuilder("sleep", "300").start();
        System.out.println("{\"childPid\":" + child.pid() + "}");
        sleep(wait);
      }
      case "log" -> System.out.println("{\"level\":\"INFO\",\"message\":\"probe says hello\"}");
      default -> sleep(wait);
    }
    String body = "{\"input\":" + input
        + ",\"invocations\":" + invocations
        + ",\"pid\":" + ProcessHandle.current().pid()
        + ",\"remainingMillis\":" + context.getRemainingTimeInMillis()
        + ",\"requestId\":\"" + context.getAwsRequestId() + "\""
        + ",\"functionArn\":\"" + context.getInvokedFunctionArn() + "\""
        + ",\"functionName\":\"" + context.getFunctionName() + "\""
        + ",\"memory\":" + context.getMemoryLimitInMB()
        + ",\"cwd\":\"" + System.getProperty("user.dir") + "\""
        + ",\"region\":\"" + System.getenv("AWS_REGION") + "\""
        + ",\"taskRoot\":\"" + System.getenv("LAMBDA_TASK_ROOT") + "\""
        + ",\"home\":\"" + System.getenv("HOME") + "\""
        + ",\"probeVar\":\"" + System.getenv("PROBE_VAR") + "\""
        + ",\"endpoint\":\"" + System.getenv("AWS_ENDPOINT_URL") + "\""
        + ",\"envNames\":\"" + String.join(",", new TreeSet<>(System.getenv().keySet())) + "\""
        + ",\"classPath\":\"" + System.getProperty("java.class.path") + "\""
        + ",\"jvmFlags\":\"" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()
            .stream().filter(flag -> flag.startsWith("-XX:")).toList()) + "\""
        + "}";
    out.write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
