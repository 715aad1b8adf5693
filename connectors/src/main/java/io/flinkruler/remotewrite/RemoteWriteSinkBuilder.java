package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.SinkSettings;
import io.flinkruler.remotewrite.internal.SinkSettings.OverflowPolicy;

import java.time.Duration;

/**
 * Options of {@link RemoteWriteSink}; every option has a default, so {@code builder().build()} works. The
 * per-endpoint {@code queue_config} of a remote_write entry overrides max_samples_per_send, min_backoff,
 * max_backoff and the pending bound (capacity) for that endpoint.
 */
public final class RemoteWriteSinkBuilder {
    public static final int DEFAULT_MAX_SAMPLES_PER_SEND = 2000;
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(30);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofMinutes(1);
    public static final int DEFAULT_SENDER_THREADS = 4;
    /** GEM's ruler.remote_write defaults. */
    public static final Duration DEFAULT_MAX_WAL_TIME = Duration.ofHours(4);
    public static final Duration DEFAULT_MIN_WAL_TIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_WAL_TRUNCATE_FREQUENCY = Duration.ofMinutes(1);
    public static final long DEFAULT_MAX_PENDING_SAMPLES = 1_000_000;
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    public static final int DEFAULT_WRITER_MAX_BUFFERED_SAMPLES = 500_000;

    /** What an endpoint does when its pending requests reach their bound; see {@link #overflowPolicy}. */
    public enum Overflow { BACKPRESSURE, DROP_OLDEST }

    private int maxSamplesPerSend = DEFAULT_MAX_SAMPLES_PER_SEND;
    private Duration minBackoff = DEFAULT_MIN_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryDuration = DEFAULT_MAX_RETRY_DURATION;
    private String userAgent = defaultUserAgent();
    private int senderThreads = DEFAULT_SENDER_THREADS;
    private Duration maxWalTime = DEFAULT_MAX_WAL_TIME;
    private Duration minWalTime = DEFAULT_MIN_WAL_TIME;
    private Duration walTruncateFrequency = DEFAULT_WAL_TRUNCATE_FREQUENCY;
    private Overflow overflow = Overflow.BACKPRESSURE;
    private long maxPendingSamples = DEFAULT_MAX_PENDING_SAMPLES;
    private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
    private int writerMaxBufferedSamples = DEFAULT_WRITER_MAX_BUFFERED_SAMPLES;

    RemoteWriteSinkBuilder() {}

    /** Samples per request (Prometheus's {@code queue_config.max_samples_per_send}). */
    public RemoteWriteSinkBuilder maxSamplesPerSend(int maxSamplesPerSend) {
        this.maxSamplesPerSend = maxSamplesPerSend;
        return this;
    }

    /** First delay after a retryable failure; it doubles per attempt up to {@link #maxBackoff}. */
    public RemoteWriteSinkBuilder minBackoff(Duration minBackoff) {
        this.minBackoff = minBackoff;
        return this;
    }

    public RemoteWriteSinkBuilder maxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
        return this;
    }

    /**
     * No longer used: a request is retried until it is delivered, rejected, or older than {@link #maxWalTime}.
     * Kept so that existing callers compile.
     */
    @Deprecated
    public RemoteWriteSinkBuilder maxRetryDuration(Duration maxRetryDuration) {
        this.maxRetryDuration = maxRetryDuration;
        return this;
    }

    public RemoteWriteSinkBuilder userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    /** No longer used: each endpoint with pending requests has its own sender thread. */
    @Deprecated
    public RemoteWriteSinkBuilder senderThreads(int senderThreads) {
        this.senderThreads = senderThreads;
        return this;
    }

    /**
     * GEM's {@code ruler.remote_write.max_wal_time}: a request still undelivered this long after its checkpoint
     * prepared it is dropped (counted under reason {@code max_wal_time}, logged). Default 4h.
     */
    public RemoteWriteSinkBuilder maxWalTime(Duration maxWalTime) {
        this.maxWalTime = maxWalTime;
        return this;
    }

    /**
     * GEM's {@code ruler.remote_write.min_wal_time}: requests younger than this are never dropped to make room
     * under the {@link Overflow#DROP_OLDEST} policy (the endpoint waits instead). Default 5m.
     */
    public RemoteWriteSinkBuilder minWalTime(Duration minWalTime) {
        this.minWalTime = minWalTime;
        return this;
    }

    /**
     * GEM's {@code ruler.remote_write.wal_truncate_frequency}: how often each endpoint checks all its pending
     * requests against max_wal_time (the request being sent is checked before every attempt). Default 1m.
     */
    public RemoteWriteSinkBuilder walTruncateFrequency(Duration walTruncateFrequency) {
        this.walTruncateFrequency = walTruncateFrequency;
        return this;
    }

    /**
     * What an endpoint does when its pending requests reach their bound ({@link #maxPendingSamplesPerEndpoint},
     * or its queue_config.capacity, and {@link #maxPendingBytesPerEndpoint}): {@link Overflow#BACKPRESSURE}
     * (default) waits for room, which slows the whole job down to that endpoint's pace but drops nothing;
     * {@link Overflow#DROP_OLDEST} drops the endpoint's oldest pending requests older than min_wal_time, so that
     * other endpoints are never held up.
     */
    public RemoteWriteSinkBuilder overflowPolicy(Overflow overflow) {
        this.overflow = overflow;
        return this;
    }

    /** Default bound of pending samples per endpoint and sink subtask (queue_config.capacity overrides it). */
    public RemoteWriteSinkBuilder maxPendingSamplesPerEndpoint(long samples) {
        this.maxPendingSamples = samples;
        return this;
    }

    /** Bound of pending request bytes (compressed) per endpoint and sink subtask. */
    public RemoteWriteSinkBuilder maxPendingBytesPerEndpoint(long bytes) {
        this.maxPendingBytes = bytes;
        return this;
    }

    /** Samples a writer keeps unencoded per endpoint between checkpoints before it encodes them early. */
    public RemoteWriteSinkBuilder writerMaxBufferedSamples(int samples) {
        this.writerMaxBufferedSamples = samples;
        return this;
    }

    public RemoteWriteSink build() {
        return new RemoteWriteSink(new SinkSettings(maxSamplesPerSend, minBackoff, maxBackoff, maxRetryDuration, userAgent,
                senderThreads, maxWalTime, minWalTime, walTruncateFrequency,
                overflow == Overflow.DROP_OLDEST ? OverflowPolicy.DROP_OLDEST : OverflowPolicy.BACKPRESSURE,
                maxPendingSamples, maxPendingBytes, writerMaxBufferedSamples));
    }

    /** {@code flink-ruler/<version>}, the version from the jar manifest when packaged. */
    public static String defaultUserAgent() {
        String version = RemoteWriteSink.class.getPackage().getImplementationVersion();
        return "flink-ruler/" + (version == null ? "dev" : version);
    }
}
