package com.qualys.lambdascanner.resolve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Lambda that knows the functions it is given, by unqualified ARN (and ARN:qualifier), and records each call. */
final class FakeDescriber implements FunctionDescriber {

  private final Map<String, FunctionDescription> functions = new HashMap<>();
  private final List<FunctionRef> calls = new ArrayList<>();
  private final List<String> scanIds = new ArrayList<>();
  private RuntimeException failure;

  FakeDescriber with(String key, FunctionDescription description) {
    functions.put(key, description);
    return this;
  }

  FakeDescriber failingWith(RuntimeException failure) {
    this.failure = failure;
    return this;
  }

  List<FunctionRef> calls() {
    return calls;
  }

  List<String> scanIds() {
    return scanIds;
  }

  @Override
  public Optional<FunctionDescription> describe(FunctionRef ref, String scanId) {
    calls.add(ref);
    scanIds.add(scanId);
    if (failure != null) {
      throw failure;
    }
    String arn =
        ref.accountId() != null
            ? ref.unqualifiedArn()
            : "arn:" + ref.partition() + ":lambda:" + ref.region() + ":123456789012:function:" + ref.functionName();
    return Optional.ofNullable(functions.get(ref.qualifier() == null ? arn : arn + ":" + ref.qualifier()));
  }
}
