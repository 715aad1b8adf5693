package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.internal.EndpointMetrics.DropReason;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Sends one request to one endpoint until it is resolved: delivered, or dropped for a reason that is counted
 * and logged. Requests to an endpoint are handed in one at a time, in send order, by its {@link EndpointLane}.
 *
 * <ul>
 *   <li>5xx, network errors and timeouts (and 429 unless {@code retry_on_http_429: false}) are retried with
 *       exponential backoff and jitter between the endpoint's min_backoff and max_backoff; a Retry-After from the
 *       receiver replaces the computed delay. Retrying stops only when the request is older than max_wal_time.</li>
 *   <li>Remote-write 2.0: a 415, or a 2xx without {@code X-Prometheus-Remote-Write-Samples-Written} (a 1.0 receiver
 *       that ignored the content type and wrote nothing), switches the endpoint to 1.0 for good (for this lane's
 *       life) and re-sends the request as 1.0.</li>
 *   <li>400 for a request of several series: the series are split in halves and each half is sent (recursively),
 *       so that only the series the receiver rejects are dropped, each logged with the receiver's message.</li>
 *   <li>Any other 4xx: dropped, with the receiver's message (truncated) in the log.</li>
 *   <li>Samples older than {@code queue_config.sample_age_limit} are dropped before sending.</li>
 * </ul>
 */
public final class RequestDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDelivery.class);

    /** Waits between attempts; tests may replace it. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RemoteWriteConfig endpoint;
    private final RemoteWriteHttpSender sender;
    private final EndpointMetrics metrics;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration maxWalTime;
    private final LongSupplier clockMs;
    private final Sleeper sleeper;
    private volatile ProtobufMessage format;

    public RequestDelivery(RemoteWriteConfig endpoint, RemoteWriteHttpSender sender, EndpointMetrics metrics, SinkSettings settings,
                           LongSupplier clockMs, Sleeper sleeper) {
        this.endpoint = endpoint;
        this.sender = sender;
        this.metrics = metrics;
        RemoteWriteConfig.QueueConfig queue = endpoint.queue();
        this.minBackoff = queue.minBackoff() != null ? queue.minBackoff() : settings.minBackoff();
        Duration max = queue.maxBackoff() != null ? queue.maxBackoff() : settings.maxBackoff();
        this.maxBackoff = max.compareTo(minBackoff) < 0 ? minBackoff : max;
        this.maxWalTime = settings.maxWalTime();
        this.clockMs = clockMs;
        this.sleeper = sleeper;
        this.format = endpoint.protobufMessage();
    }

    /** The protocol this endpoint is sent in now (1.0 after a fallback from 2.0). */
    public ProtobufMessage format() { return format; }

    /**
     * Delivers or drops {@code request}; InterruptedException leaves it unresolved (the lane is closing). It is
     * dropped as older than max_wal_time when {@code expired} says so before an attempt.
     */
    public void deliver(RemoteWriteCommittable request, BooleanSupplier expired) throws InterruptedException {
        Part part = Part.of(request);
        Duration ageLimit = endpoint.queue().sampleAgeLimit();
        if (!ageLimit.isZero()) {
            part = withoutSamplesOlderThan(part, clockMs.getAsLong() - ageLimit.toMillis());
            if (part == null) return;
        }
        deliver(part, expired, false);
    }

    /** Whether {@code request} has been pending longer than max_wal_time. */
    public boolean expired(RemoteWriteCommittable request) {
        return clockMs.getAsLong() - request.preparedAtMs() > maxWalTime.toMillis();
    }

    private void deliver(Part part, BooleanSupplier expired, boolean bisecting) throws InterruptedException {
        Backoff backoff = new Backoff(minBackoff, maxBackoff);
        int failures = 0;
        while (true) {
            if (expired.getAsBoolean()) {
                drop(part, DropReason.MAX_WAL_TIME, "pending for longer than max_wal_time " + maxWalTime);
                return;
            }
            ProtobufMessage sendAs = format;
            byte[] body;
            try {
                body = part.body(sendAs);
            } catch (IOException e) {
                drop(part, DropReason.REJECTED, "cannot re-encode the request: " + e.getMessage());
                return;
            }
            long start = System.nanoTime();
            SendResult result = sender.send(endpoint, body, sendAs);
            metrics.requestDuration.update((System.nanoTime() - start) / 1_000_000);
            switch (result.kind()) {
                case SUCCESS -> {
                    if (sendAs == ProtobufMessage.V2 && result.samplesWritten() == null) {
                        fallBackToVersion1("answered " + result.status() + " without " + RemoteWriteHttpSender.SAMPLES_WRITTEN_HEADER
                                + ", so it is a remote-write 1.0 receiver that wrote nothing");
                        continue;
                    }
                    if (result.samplesWritten() != null && result.samplesWritten() < part.samples) {
                        LOG.warn("remote write to {}: receiver reports {} of {} samples written", endpoint.displayName(),
                                result.samplesWritten(), part.samples);
                    }
                    metrics.sent(part.samples, clockMs.getAsLong());
                    return;
                }
                case PERMANENT -> {
                    if (result.status() == 415 && sendAs == ProtobufMessage.V2) {
                        fallBackToVersion1("answered 415 Unsupported Media Type to remote-write 2.0");
                        continue;
                    }
                    if (result.status() == 400 && part.series > 1) {
                        bisect(part, expired, result);
                        return;
                    }
                    drop(part, bisecting && result.status() == 400 ? DropReason.INVALID_SERIES : DropReason.REJECTED,
                            "rejected: " + result.describe());
                    return;
                }
                case RETRYABLE -> {
                    metrics.requestsFailed.inc();
                    failures++;
                    Duration delay = backoff.next(result.retryAfter());
                    if (Integer.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th... failure: a storm does not flood the log
                        LOG.warn("remote write to {} failed ({} time(s), {}), retrying in {} ms", endpoint.displayName(), failures,
                                result.describe(), delay.toMillis());
                    }
                    sleeper.sleep(delay);
                    metrics.requestsRetried.inc();
                }
            }
        }
    }

    private void bisect(Part part, BooleanSupplier expired, SendResult rejection) throws InterruptedException {
        List<SeriesSamples> series;
        try {
            series = part.series();
        } catch (IOException e) {
            drop(part, DropReason.REJECTED, "rejected (" + rejection.describe() + ") and cannot be split: " + e.getMessage());
            return;
        }
        LOG.info("remote write to {} rejected a request of {} series ({}); splitting it to find the offending series",
                endpoint.displayName(), series.size(), rejection.describe());
        int half = series.size() / 2;
        deliver(Part.of(series.subList(0, half)), expired, true);
        deliver(Part.of(series.subList(half, series.size())), expired, true);
    }

    private void fallBackToVersion1(String why) {
        format = ProtobufMessage.V1;
        LOG.warn("remote write to {} {}: sending remote-write 1.0 (prometheus.WriteRequest) from now on", endpoint.displayName(), why);
    }

    private void drop(Part part, DropReason reason, String message) {
        metrics.requestsDropped.inc();
        metrics.dropped(reason, part.samples);
        String which = "";
        if (part.series == 1 && part.decoded != null) which = " of series " + part.decoded.get(0).labels();
        LOG.error("remote write to {}: dropping {} samples{} ({} series): {}", endpoint.displayName(), part.samples, which,
                part.series, message);
    }

    private Part withoutSamplesOlderThan(Part part, long oldestAllowedMs) {
        if (part.minTimestampMs >= oldestAllowedMs) return part;
        if (part.maxTimestampMs < oldestAllowedMs) {
            drop(part, DropReason.TOO_OLD, "older than sample_age_limit " + endpoint.queue().sampleAgeLimit());
            return null;
        }
        List<SeriesSamples> kept = new ArrayList<>();
        int droppedSamples = 0;
        try {
            for (SeriesSamples s : part.series()) {
                int from = 0;
                while (from < s.size() && s.timestampMs(from) < oldestAllowedMs) from++;
                droppedSamples += from;
                if (from < s.size()) kept.add(from == 0 ? s : slice(s, from));
            }
        } catch (IOException e) {
            return part;
        }
        if (droppedSamples > 0) {
            metrics.dropped(DropReason.TOO_OLD, droppedSamples);
            LOG.warn("remote write to {}: dropping {} samples older than sample_age_limit {}", endpoint.displayName(), droppedSamples,
                    endpoint.queue().sampleAgeLimit());
        }
        return kept.isEmpty() ? null : Part.of(kept);
    }

    private static SeriesSamples slice(SeriesSamples s, int from) {
        long[] t = new long[s.size() - from];
        double[] v = new double[s.size() - from];
        for (int i = from; i < s.size(); i++) {
            t[i - from] = s.timestampMs(i);
            v[i - from] = s.value(i);
        }
        return new SeriesSamples(s.labels(), t, v);
    }

    /** A request body or a part of one: encoded in some format, decoded on demand (for bisecting or re-encoding). */
    private static final class Part {
        private ProtobufMessage format;
        private byte[] body;
        private List<SeriesSamples> decoded;
        final int samples;
        final int series;
        final long minTimestampMs;
        final long maxTimestampMs;

        private Part(ProtobufMessage format, byte[] body, List<SeriesSamples> decoded, int samples, int series, long min, long max) {
            this.format = format;
            this.body = body;
            this.decoded = decoded;
            this.samples = samples;
            this.series = series;
            this.minTimestampMs = min;
            this.maxTimestampMs = max;
        }

        static Part of(RemoteWriteCommittable request) {
            return new Part(request.format(), request.snappyPayload(), null, request.sampleCount(), request.seriesCount(),
                    request.minTimestampMs(), request.maxTimestampMs());
        }

        static Part of(List<SeriesSamples> series) {
            int samples = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (SeriesSamples s : series) {
                samples += s.size();
                if (s.size() > 0) {
                    min = Math.min(min, s.timestampMs(0));
                    max = Math.max(max, s.timestampMs(s.size() - 1));
                }
            }
            return new Part(null, null, List.copyOf(series), samples, series.size(), min, max);
        }

        List<SeriesSamples> series() throws IOException {
            if (decoded == null) decoded = Payloads.decode(body, format);
            return decoded;
        }

        byte[] body(ProtobufMessage wanted) throws IOException {
            if (body == null || format != wanted) {
                body = Payloads.encode(series(), wanted);
                format = wanted;
            }
            return body;
        }
    }
}
