package com.qualys.lambdascanner.common.log;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.secret.SecretGuard;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line, with the scan id on every line. With the function's log format set to JSON,
 * Lambda keeps an already-JSON message as it is (no double encoding) and filters on its level. Each line is made
 * by the {@link JsonCodec}, so redacted by its {@link SecretGuard} of the invocation's secrets; callers still pass
 * fields, never secret values.
 */
public final class StructuredLog {

  private final JsonCodec json;
  private final LambdaLogger logger;

  public StructuredLog(JsonCodec json) {
    this(json, LambdaRuntime.getLogger());
  }

  public StructuredLog(JsonCodec json, LambdaLogger logger) {
    this.json = json;
    this.logger = logger;
  }

  /** The guard every line passes, for the writers beside the log that are not JSON (function tags). */
  public SecretGuard guard() {
    return json.guard();
  }

  public void info(String message, String scanId, Map<String, ?> fields) {
    write(LogLevel.INFO, message, scanId, fields);
  }

  public void warn(String message, String scanId, Map<String, ?> fields) {
    write(LogLevel.WARN, message, scanId, fields);
  }

  public void error(String message, String scanId, Map<String, ?> fields) {
    write(LogLevel.ERROR, message, scanId, fields);
  }

  private void write(LogLevel level, String message, String scanId, Map<String, ?> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", Instant.now().toString());
    line.put("level", level.name());
    line.put("message", message);
    line.put("scanId", scanId);
    line.putAll(fields);
    logger.log(json.toJson(line), level);
  }
}
