package com.qualys.lambdascanner.common.record;

import java.time.Instant;

/**
 * When things happened, all UTC.
 *
 * @param triggeredAt the API call's time (or the direct request's), null when unknown
 * @param startedAt when qscanner started, null when no scan ran
 * @param finishedAt when qscanner ended, null when no scan ran
 * @param durationMs finishedAt minus startedAt, null when either is missing
 * @param recordedAt when the record was built
 */
public record Timings(
    Instant triggeredAt, Instant startedAt, Instant finishedAt, Long durationMs, Instant recordedAt) {}
