package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.MetricGroup;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Delivery metrics of one endpoint, registered under {@code remote_write_endpoint=<display name>} and, when
 * the endpoint sends X-Scope-OrgID, {@code tenant=<id>}: never a URL credential, query string or header secret.
 * Drops are counted per reason under {@code reason=<reason>}. Counters are atomic because endpoints are served
 * by sender threads.
 */
public final class EndpointMetrics {
    public static final String TENANT_HEADER = "X-Scope-OrgID";

    /** Why samples were dropped; the values are the {@code reason} metric group. */
    public enum DropReason {
        /** The receiver rejected the request (4xx other than 429, or 429 when not retried). */
        REJECTED("rejected"),
        /** Series singled out by bisecting a 400 response. */
        INVALID_SERIES("invalid_series"),
        /** Older than queue_config.sample_age_limit when sent. */
        TOO_OLD("sample_age_limit"),
        /** Pending for longer than max_wal_time. */
        MAX_WAL_TIME("max_wal_time"),
        /** Dropped to make room under the drop_oldest overflow policy. */
        OVERFLOW("overflow");

        private final String label;

        DropReason(String label) { this.label = label; }

        public String label() { return label; }
    }

    public final Counter samplesSent;
    public final Counter requestsSent;
    /** Attempts that failed in a retryable way (each failed attempt counts). */
    public final Counter requestsFailed;
    /** Attempts repeated after a retryable failure. */
    public final Counter requestsRetried;
    /** Requests dropped as a whole, any reason. */
    public final Counter requestsDropped;
    /** Samples dropped, any reason. */
    public final Counter samplesDropped;
    /** Milliseconds per HTTP attempt. */
    public final Histogram requestDuration;
    private final MetricGroup group;
    private final Map<DropReason, Counter> samplesDroppedByReason = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccessfulSendMs = new AtomicLong();

    private static final org.slf4j.Logger PROGRESS = org.slf4j.LoggerFactory.getLogger("io.flinkruler.progress");
    private static final long PROGRESS_PERIOD_MS = 10_000;

    /** For the periodic progress line: which endpoint (display name, never a secret) and tenant. */
    private final String description;
    private final java.util.concurrent.atomic.AtomicLong lastProgressMs = new java.util.concurrent.atomic.AtomicLong();

    private EndpointMetrics(MetricGroup group, String description) {
        this.group = group;
        this.description = description;
        samplesSent = group.counter("samplesSent", new AtomicCounter());
        requestsSent = group.counter("requestsSent", new AtomicCounter());
        requestsFailed = group.counter("requestsFailed", new AtomicCounter());
        requestsRetried = group.counter("requestsRetried", new AtomicCounter());
        requestsDropped = group.counter("requestsDropped", new AtomicCounter());
        samplesDropped = group.counter("samplesDropped", new AtomicCounter());
        requestDuration = group.histogram("requestDurationMs", new SlidingWindowHistogram(1024));
        group.gauge("lastSuccessfulSendTimeMs", (Gauge<Long>) lastSuccessfulSendMs::get);
    }

    /** Counts samples dropped for {@code reason} (also in the {@link #samplesDropped} total). */
    public void dropped(DropReason reason, long samples) {
        samplesDropped.inc(samples);
        samplesDroppedByReason.computeIfAbsent(reason, r -> group.addGroup("reason", r.label()).counter("samplesDropped", new AtomicCounter()))
                .inc(samples);
    }

    public long droppedSamples(DropReason reason) {
        Counter c = samplesDroppedByReason.get(reason);
        return c == null ? 0 : c.getCount();
    }

    public void sent(long samples, long nowMs) {
        requestsSent.inc();
        samplesSent.inc(samples);
        lastSuccessfulSendMs.set(nowMs);
        long last = lastProgressMs.get();
        if (nowMs - last >= PROGRESS_PERIOD_MS && lastProgressMs.compareAndSet(last, nowMs)) {
            PROGRESS.info("remote write to {}: {} requests, {} samples sent", description, requestsSent.getCount(), samplesSent.getCount());
        }
    }

    public long lastSuccessfulSendMs() { return lastSuccessfulSendMs.get(); }

    /** Registers the pending-queue gauges of the endpoint's lane (once per lane). */
    public void pendingGauges(LongSupplier requests, LongSupplier samples, LongSupplier bytes) {
        group.gauge("pendingRequests", (Gauge<Long>) requests::getAsLong);
        group.gauge("pendingSamples", (Gauge<Long>) samples::getAsLong);
        group.gauge("pendingBytes", (Gauge<Long>) bytes::getAsLong);
    }

    /** One {@link EndpointMetrics} per display name and tenant; Flink rejects registering a metric name twice. */
    public static final class Registry {
        private final MetricGroup parent;
        private final Map<String, EndpointMetrics> byKey = new ConcurrentHashMap<>();

        public Registry(MetricGroup parent) {
            this.parent = parent;
        }

        public EndpointMetrics forEndpoint(RemoteWriteConfig endpoint) {
            String tenant = tenantOf(endpoint);
            String key = endpoint.displayName() + "\u0000" + tenant;
            return byKey.computeIfAbsent(key, k -> {
                MetricGroup group = parent.addGroup("remote_write_endpoint", endpoint.displayName());
                if (!tenant.isEmpty()) group = group.addGroup("tenant", tenant);
                return new EndpointMetrics(group, endpoint.displayName() + (tenant.isEmpty() ? "" : " (tenant " + tenant + ")"));
            });
        }

        private static String tenantOf(RemoteWriteConfig endpoint) {
            for (Map.Entry<String, String> header : endpoint.headers().entrySet()) {
                if (header.getKey().equalsIgnoreCase(TENANT_HEADER)) return header.getValue();
            }
            return "";
        }
    }

    static final class AtomicCounter implements Counter {
        private final AtomicLong count = new AtomicLong();

        @Override public void inc() { count.incrementAndGet(); }
        @Override public void inc(long n) { count.addAndGet(n); }
        @Override public void dec() { count.decrementAndGet(); }
        @Override public void dec(long n) { count.addAndGet(-n); }
        @Override public long getCount() { return count.get(); }
    }

    /** The last {@code size} values; statistics are computed on a copy when a reporter asks. */
    static final class SlidingWindowHistogram implements Histogram {
        private final long[] window;
        private long count;

        SlidingWindowHistogram(int size) {
            this.window = new long[size];
        }

        @Override
        public synchronized void update(long value) {
            window[(int) (count % window.length)] = value;
            count++;
        }

        @Override
        public synchronized long getCount() { return count; }

        @Override
        public synchronized HistogramStatistics getStatistics() {
            long[] values = Arrays.copyOf(window, (int) Math.min(count, window.length));
            Arrays.sort(values);
            return new Statistics(values);
        }
    }

    private static final class Statistics extends HistogramStatistics {
        private final long[] sorted;

        Statistics(long[] sorted) { this.sorted = sorted; }

        @Override
        public double getQuantile(double quantile) {
            if (sorted.length == 0) return 0;
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        @Override public long[] getValues() { return sorted.clone(); }
        @Override public int size() { return sorted.length; }
        @Override public double getMean() { return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0); }

        @Override
        public double getStdDev() {
            if (sorted.length < 2) return 0;
            double mean = getMean();
            double sum = 0;
            for (long v : sorted) sum += (v - mean) * (v - mean);
            return Math.sqrt(sum / (sorted.length - 1));
        }

        @Override public long getMax() { return sorted.length == 0 ? 0 : sorted[sorted.length - 1]; }
        @Override public long getMin() { return sorted.length == 0 ? 0 : sorted[0]; }
    }
}
