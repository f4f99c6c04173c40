package com.qualys.lambdascanner.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The one java.time type the records carry, {@link Instant}, as an ISO-8601 string ({@code 2026-12-01T18:22:35Z},
 * what {@link Instant#toString()} writes and {@link Instant#parse} reads). It replaces jackson-datatype-jsr310's
 * JavaTimeModule, which registers (de)serialisers for every java.time type at start-up: about 75 classes and
 * 20 ms of each function's init for a type the records use once. The JSON is the same as JavaTimeModule's with
 * WRITE_DATES_AS_TIMESTAMPS off; numeric timestamps, which nothing of ours writes, are refused.
 */
final class InstantModule extends SimpleModule {

  InstantModule() {
    super("instant");
    addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
        out.writeString(value.toString());
      }
    });
    addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser in, DeserializationContext context) throws IOException {
        if (in.currentToken() != JsonToken.VALUE_STRING) {
          return (Instant) context.handleUnexpectedToken(Instant.class, in);
        }
        String text = in.getText().strip();
        try {
          return Instant.parse(text);
        } catch (DateTimeException e) {
          return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
        }
      }
    });
  }
}
