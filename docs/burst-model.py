#!/usr/bin/env python3
"""How many scans a burst may hold before a throttled execution runs out of retries: the model behind the burst
numbers in docs/operations.md. A model, not a test: it simulates the state machine's throttle retrier (FULL jitter,
as Step Functions applies it) against Run QScanner's reserved concurrency.

    python3 docs/burst-model.py                 # the table in docs/operations.md
    python3 docs/burst-model.py 300 120 10      # one burst: scans, seconds per scan, ScanConcurrency

Each execution reaches Run QScanner within the first 5 s (one deploy's events). It runs when fewer than
ScanConcurrency scans run, else Lambda answers 429 and the retrier waits a uniform random time in [0, d_k],
d_k = min(interval * 2^k, cap), at most max_attempts times; after that the execution takes the failure branch (a
FAILED record and a notification: not lost, but not scanned). Scans last their nominal time +-20 %.
"""
import heapq
import random
import sys

# template.yaml DefinitionSubstitutions: ThrottleRetryIntervalSeconds, ThrottleRetryMaxDelaySeconds,
# ThrottleRetryMaxAttempts.
INTERVAL, CAP, MAX_ATTEMPTS = 10, 300, 40


def burst(scans, seconds, concurrency, seed):
    """(executions that ran out of retries, minutes until the last scan ended)."""
    rnd = random.Random(seed)
    events = [(rnd.uniform(0, 5), "arrive", 0) for _ in range(scans)]
    heapq.heapify(events)
    running = failed = 0
    last = 0.0
    while events:
        time, kind, retries = heapq.heappop(events)
        if kind == "end":
            running -= 1
            last = max(last, time)
        elif running < concurrency:
            running += 1
            heapq.heappush(events, (time + seconds * rnd.uniform(0.8, 1.2), "end", 0))
        elif retries >= MAX_ATTEMPTS:
            failed += 1
        else:
            delay = min(INTERVAL * 2 ** retries, CAP)
            heapq.heappush(events, (time + rnd.uniform(0, delay), "arrive", retries + 1))
    return failed, last / 60


def report(scans, seconds, concurrency, runs=20):
    results = [burst(scans, seconds, concurrency, seed) for seed in range(runs)]
    worst = max(f for f, _ in results)
    mean = sum(f for f, _ in results) / runs
    drain = max(m for _, m in results)
    print(f"{scans:6d} {seconds:6d} s {concurrency:5d} {scans * seconds / concurrency / 60:8.0f} min"
          f" {drain:7.0f} min {worst:6d} {mean:8.1f}")


if __name__ == "__main__":
    waits = [min(INTERVAL * 2 ** k, CAP) for k in range(MAX_ATTEMPTS)]
    print(f"retry budget: {MAX_ATTEMPTS} waits, {sum(waits) / 120:.0f} min on average (FULL jitter), "
          f"{sum(waits) / 60:.0f} min at most")
    print(" scans   scan  slots   ideal    drained  lost(max) lost(mean) over 20 runs")
    if len(sys.argv) == 4:
        report(*map(int, sys.argv[1:]))
    else:
        for scans, seconds in [(300, 60), (300, 120), (600, 60), (700, 60), (800, 60), (400, 120), (200, 300),
                               (300, 300), (1000, 60)]:
            report(scans, seconds, 10)
