package io.flinkruler.remotewrite.internal;

import java.io.Serializable;
import java.time.Duration;

/**
 * Tuning of the remote-write sink, fixed when the job is built.
 *
 * @param maxSamplesPerSend at most this many samples in one request
 * @param minBackoff        first retry delay (before jitter)
 * @param maxBackoff        ceiling of the doubling retry delay
 * @param maxRetryDuration  how long one commit keeps retrying a request in place before handing it back to
 *                          Flink with {@code retryLater()}
 * @param userAgent         User-Agent header
 * @param senderThreads     endpoints served concurrently by one committer
 */
public record SinkSettings(int maxSamplesPerSend, Duration minBackoff, Duration maxBackoff, Duration maxRetryDuration,
                           String userAgent, int senderThreads) implements Serializable {
    public SinkSettings {
        if (maxSamplesPerSend < 1) throw new IllegalArgumentException("maxSamplesPerSend must be positive: " + maxSamplesPerSend);
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff: " + minBackoff + ", " + maxBackoff);
        }
        if (maxRetryDuration.isNegative()) throw new IllegalArgumentException("maxRetryDuration must not be negative");
        if (senderThreads < 1) throw new IllegalArgumentException("senderThreads must be positive: " + senderThreads);
    }
}
