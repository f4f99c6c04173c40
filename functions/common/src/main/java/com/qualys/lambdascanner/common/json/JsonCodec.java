package com.qualys.lambdascanner.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.secret.SecretGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * The one JSON mapper of a function, the typed errors for input it cannot read, and the one way out: every JSON text
 * a function writes (its output, its log lines, its S3 objects and messages) is made by {@link #toJson} or
 * {@link #write}, which pass every string in it through the {@link SecretGuard}; {@link #handle} does the same for
 * the error a handler ends with (SecretExitsTest checks that nothing writes around them).
 */
public final class JsonCodec {

  /** Lambda accepts at most 256 KiB of state input; anything bigger is not ours to read. */
  private static final int MAX_INPUT_BYTES = 256 * 1024;

  private final ObjectMapper mapper;
  private final SecretGuard guard = new SecretGuard();

  public JsonCodec() {
    this.mapper =
        JsonMapper.builder()
            .addModule(new InstantModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    // Bound what a hostile input can make us allocate.
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(MAX_INPUT_BYTES)
                .maxNestingDepth(64)
                .maxDocumentLength(MAX_INPUT_BYTES)
                .build());
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** Reads a function's input; anything unreadable is an {@link InvalidInputException}. */
  public <T> T read(InputStream in, Class<T> type) {
    try {
      T value = mapper.readValue(in, type);
      if (value == null) {
        throw new InvalidInputException("input is empty or null; expected a " + type.getSimpleName());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "input is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The invocation's secrets: what every string written here is redacted of. */
  public SecretGuard guard() {
    return guard;
  }

  /**
   * A handler's whole invocation: reads the input, calls {@code service}, writes its answer; an error leaves with its
   * message redacted (same class: the class name is what the state machine routes on). The invocation's secrets are
   * forgotten when it ends.
   */
  public <T> void handle(InputStream in, OutputStream out, Class<T> type, Function<T, ?> service) {
    try {
      write(out, service.apply(read(in, type)));
    } catch (RuntimeException e) {
      throw redacted(e);
    } finally {
      guard.forget();
    }
  }

  public void write(OutputStream out, Object value) {
    try {
      mapper.writeValue(out, redacted(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String toJson(Object value) {
    try {
      return mapper.writeValueAsString(redacted(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** The value as a tree with every string, names included, redacted. */
  private JsonNode redacted(Object value) {
    // A new tree either way: the caller's own JsonNode is not changed.
    return redacted(value instanceof JsonNode node ? node : mapper.<JsonNode>valueToTree(value));
  }

  private JsonNode redacted(JsonNode node) {
    if (node.isTextual()) {
      String text = guard.redact(node.textValue());
      return text.equals(node.textValue()) ? node : TextNode.valueOf(text);
    }
    if (node instanceof ObjectNode object) {
      ObjectNode out = mapper.createObjectNode();
      object.properties().forEach(e -> out.set(guard.redact(e.getKey()), redacted(e.getValue())));
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = mapper.createArrayNode();
      array.forEach(item -> out.add(redacted(item)));
      return out;
    }
    return node;
  }

  /**
   * The exception itself when no message in its chain holds a secret; else the same class with its message redacted
   * and no cause (whose message the runtime would print), or a TerminalException when the class cannot be made so.
   */
  private RuntimeException redacted(RuntimeException e) {
    boolean clean = true;
    for (Throwable t = e; t != null && clean; t = t.getCause() == t ? null : t.getCause()) {
      clean = t.getMessage() == null || guard.redact(t.getMessage()).equals(t.getMessage());
    }
    if (clean) {
      return e;
    }
    String message = e.getMessage() == null ? "" : guard.redact(e.getMessage());
    RuntimeException copy;
    try {
      copy = e.getClass().getConstructor(String.class).newInstance(message);
    } catch (ReflectiveOperationException notOurs) {
      copy = new TerminalException(e.getClass().getSimpleName() + ": " + message);
    }
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
