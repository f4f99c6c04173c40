package com.qualys.lambdascanner.common.model;

/**
 * Store Results' and Notify's input: the whole state, which way it ends, and the execution.
 *
 * @param executionArn the execution ({@code $$.Execution.Id})
 * @param ending which way the execution is ending
 * @param state the state document ({@code $})
 */
public record RecordRequest(String executionArn, Ending ending, PipelineState state) {}
