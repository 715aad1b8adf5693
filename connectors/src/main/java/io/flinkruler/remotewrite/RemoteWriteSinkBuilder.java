package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.SinkSettings;

import java.time.Duration;

/** Options of {@link RemoteWriteSink}; every option has a default, so {@code builder().build()} works. */
public final class RemoteWriteSinkBuilder {
    public static final int DEFAULT_MAX_SAMPLES_PER_SEND = 2000;
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(30);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofMinutes(1);
    public static final int DEFAULT_SENDER_THREADS = 4;

    private int maxSamplesPerSend = DEFAULT_MAX_SAMPLES_PER_SEND;
    private Duration minBackoff = DEFAULT_MIN_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryDuration = DEFAULT_MAX_RETRY_DURATION;
    private String userAgent = defaultUserAgent();
    private int senderThreads = DEFAULT_SENDER_THREADS;

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
     * How long one commit retries a failing request in place before returning it to Flink
     * ({@code retryLater}); Flink re-invokes the committer {@code sink.committer.retries} times, then fails over.
     */
    public RemoteWriteSinkBuilder maxRetryDuration(Duration maxRetryDuration) {
        this.maxRetryDuration = maxRetryDuration;
        return this;
    }

    public RemoteWriteSinkBuilder userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    /** Endpoints one committer serves concurrently (requests to one endpoint are always sequential). */
    public RemoteWriteSinkBuilder senderThreads(int senderThreads) {
        this.senderThreads = senderThreads;
        return this;
    }

    public RemoteWriteSink build() {
        return new RemoteWriteSink(new SinkSettings(maxSamplesPerSend, minBackoff, maxBackoff, maxRetryDuration, userAgent, senderThreads));
    }

    /** {@code flink-ruler/<version>}, the version from the jar manifest when packaged. */
    public static String defaultUserAgent() {
        String version = RemoteWriteSink.class.getPackage().getImplementationVersion();
        return "flink-ruler/" + (version == null ? "dev" : version);
    }
}
