package com.qualys.lambdascanner.common.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import java.util.regex.Pattern;

/** A fleet run's id is its execution name; it becomes part of S3 keys, so only a safe shape is taken. */
public final class RunId {

  private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9_-]{1,80}$");

  private RunId() {}

  /** @throws InvalidInputException not a string of 1 to 80 letters, digits, {@code _} or {@code -} */
  public static String validate(JsonNode value) {
    String runId = value != null && value.isTextual() ? value.asText() : null;
    if (runId == null || !SHAPE.matcher(runId).matches()) {
      throw new InvalidInputException("runId must be 1 to 80 letters, digits, '_' or '-' (the fleet execution's name)");
    }
    return runId;
  }
}
