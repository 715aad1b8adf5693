package io.flinkruler.remotewrite.internal;

import java.io.Serializable;
import java.time.Duration;

/**
 * Tuning of the remote-write sink, fixed when the job is built. An endpoint's own {@code queue_config}
 * (max_samples_per_send, min_backoff, max_backoff, capacity) overrides the matching default here.
 *
 * @param maxSamplesPerSend        at most this many samples in one request
 * @param minBackoff               first retry delay (before jitter)
 * @param maxBackoff               ceiling of the doubling retry delay
 * @param maxRetryDuration         unused since delivery moved out of the committer; kept for API compatibility
 * @param userAgent                User-Agent header
 * @param senderThreads            unused: each endpoint with pending requests has one sender thread
 * @param maxWalTime               pending requests older than this (since prepared) are dropped
 * @param minWalTime               pending requests younger than this are never dropped to make room
 * @param walTruncateFrequency     how often each endpoint checks the age of all its pending requests
 * @param overflowPolicy           what happens when an endpoint's pending requests reach their bound
 * @param maxPendingSamples        default bound of pending samples per endpoint (queue_config.capacity overrides)
 * @param maxPendingBytes          bound of pending request bytes per endpoint
 * @param writerMaxBufferedSamples samples a writer keeps unencoded per endpoint before encoding them early
 */
public record SinkSettings(int maxSamplesPerSend, Duration minBackoff, Duration maxBackoff, Duration maxRetryDuration,
                           String userAgent, int senderThreads, Duration maxWalTime, Duration minWalTime,
                           Duration walTruncateFrequency, OverflowPolicy overflowPolicy, long maxPendingSamples,
                           long maxPendingBytes, int writerMaxBufferedSamples) implements Serializable {

    /** What an endpoint whose pending requests reached their bound does with the next one. */
    public enum OverflowPolicy {
        /** Wait until the endpoint has room: the whole sink (and the job) slows down; nothing is dropped. */
        BACKPRESSURE,
        /** Drop the endpoint's oldest pending requests that are older than min_wal_time; other endpoints are unaffected. */
        DROP_OLDEST
    }

    public SinkSettings {
        if (maxSamplesPerSend < 1) throw new IllegalArgumentException("maxSamplesPerSend must be positive: " + maxSamplesPerSend);
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff: " + minBackoff + ", " + maxBackoff);
        }
        if (maxRetryDuration.isNegative()) throw new IllegalArgumentException("maxRetryDuration must not be negative");
        if (senderThreads < 1) throw new IllegalArgumentException("senderThreads must be positive: " + senderThreads);
        if (minWalTime.isNegative() || maxWalTime.compareTo(minWalTime) < 0) {
            throw new IllegalArgumentException("need 0 <= minWalTime <= maxWalTime: " + minWalTime + ", " + maxWalTime);
        }
        if (walTruncateFrequency.isNegative() || walTruncateFrequency.isZero()) {
            throw new IllegalArgumentException("walTruncateFrequency must be positive: " + walTruncateFrequency);
        }
        if (maxPendingSamples < 1 || maxPendingBytes < 1) throw new IllegalArgumentException("pending bounds must be positive");
        if (writerMaxBufferedSamples < 1) throw new IllegalArgumentException("writerMaxBufferedSamples must be positive");
    }

    /** The settings of earlier releases, with the defaults of everything added since. */
    public SinkSettings(int maxSamplesPerSend, Duration minBackoff, Duration maxBackoff, Duration maxRetryDuration,
                        String userAgent, int senderThreads) {
        this(maxSamplesPerSend, minBackoff, maxBackoff, maxRetryDuration, userAgent, senderThreads,
                Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(1), OverflowPolicy.BACKPRESSURE,
                1_000_000, 64L << 20, 500_000);
    }
}
