package com.qualys.lambdascanner.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.qualys.lambdascanner.common.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The one JSON mapper of a function, and the typed errors for input it cannot read. */
public final class JsonCodec {

  /** Lambda accepts at most 256 KiB of state input; anything bigger is not ours to read. */
  private static final int MAX_INPUT_BYTES = 256 * 1024;

  private final ObjectMapper mapper;

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

  public void write(OutputStream out, Object value) {
    try {
      mapper.writeValue(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String toJson(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
