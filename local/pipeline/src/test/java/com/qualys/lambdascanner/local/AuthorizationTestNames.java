package com.qualys.lambdascanner.local;

import com.qualys.lambdascanner.emulator.Authorization;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Tells the emulator's authorization which test is running, so each IAM statement that allows a request is recorded
 * against the tested path that used it ({@code make iam-report}, docs/iam.md). Registered through
 * META-INF/services; tests run one at a time in this module.
 */
public final class AuthorizationTestNames implements TestExecutionListener {

  @Override
  public void executionStarted(TestIdentifier test) {
    if (test.getSource().orElse(null) instanceof MethodSource method) {
      Authorization.currentTest(method.getClassName().substring(method.getClassName().lastIndexOf('.') + 1) + "#"
          + method.getMethodName());
    } else if (test.isContainer() && test.getSource().isPresent()) {
      // A class's @BeforeAll (the pipeline's start) belongs to the class.
      Authorization.currentTest(test.getDisplayName() + "#setUp");
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (test.getSource().orElse(null) instanceof MethodSource) {
      Authorization.currentTest("");
    }
  }
}
