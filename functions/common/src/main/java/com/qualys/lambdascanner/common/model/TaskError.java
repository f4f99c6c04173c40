package com.qualys.lambdascanner.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a Catch puts at {@code $.error}: Step Functions spells the fields {@code Error} and {@code Cause}.
 *
 * @param error the error name (a Java exception's class name, or {@code States.Timeout}, ...)
 * @param cause the cause (for a Lambda error, a JSON text with errorMessage and stackTrace)
 */
public record TaskError(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {}
