package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery counters of one endpoint, registered under {@code remote_write_endpoint=<display name>} and,
 * when the endpoint sends X-Scope-OrgID, {@code tenant=<id>}: never a URL credential or header secret.
 * Counters are atomic because endpoints are served by sender threads.
 */
public final class EndpointMetrics {
    public static final String TENANT_HEADER = "X-Scope-OrgID";

    public final Counter samplesSent;
    public final Counter requestsSent;
    /** Attempts that failed in a retryable way (each failed attempt counts). */
    public final Counter requestsFailed;
    /** Attempts repeated after a retryable failure. */
    public final Counter requestsRetried;
    /** Requests given up on: rejected by the receiver with a non-retryable status. */
    public final Counter requestsDropped;
    public final Counter samplesDropped;

    private EndpointMetrics(MetricGroup group) {
        samplesSent = group.counter("samplesSent", new AtomicCounter());
        requestsSent = group.counter("requestsSent", new AtomicCounter());
        requestsFailed = group.counter("requestsFailed", new AtomicCounter());
        requestsRetried = group.counter("requestsRetried", new AtomicCounter());
        requestsDropped = group.counter("requestsDropped", new AtomicCounter());
        samplesDropped = group.counter("samplesDropped", new AtomicCounter());
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
                return new EndpointMetrics(group);
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
}
