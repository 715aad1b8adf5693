package io.flinkruler.rulesource;

import java.time.Duration;

/**
 * When to scan again after failed scans of rule storage: exponential backoff from {@code initialMs} up to
 * {@code maxMs}. A one-time load gives up after {@code onceAttempts} attempts.
 */
record ScanRetry(long initialMs, long maxMs, int onceAttempts) {
    /** First retry after a second (or the poll interval, if shorter), doubling up to five minutes or the poll interval. */
    static ScanRetry forPollInterval(Duration pollInterval) {
        if (pollInterval == null) return new ScanRetry(1_000, 8_000, 4);
        long poll = pollInterval.toMillis();
        return new ScanRetry(Math.min(poll, 1_000), Math.max(poll, 300_000), 4);
    }

    /** The delay before the next attempt after {@code consecutiveFailures} (at least 1) failures in a row. */
    long delayAfter(int consecutiveFailures) {
        long delay = initialMs;
        for (int i = 1; i < consecutiveFailures && delay < maxMs; i++) delay *= 2;
        return Math.min(delay, maxMs);
    }
}
