package io.flinkruler.config;

import java.io.Serializable;
import java.util.List;

/**
 * {@code source.generator}: synthetic samples for demos and load tests. Every metric has {@code series}
 * series (labelled {@code job="generator"}, {@code instance="instance-<i>"}), each with one sample every
 * {@code intervalMs} of event time, starting at {@code startMs} (0: the wall clock at job start).
 * {@code ratePerSecond} > 0 emits that many samples per second as fast as event time allows (load tests);
 * 0 paces event time with the wall clock (demos). {@code durationMs} > 0 stops after that span of event
 * time (a bounded job); 0 runs forever. {@code seed} makes values reproducible.
 */
public record GeneratorSourceConfig(String tenant, int series, long intervalMs, List<GeneratedMetric> metrics,
                                    double ratePerSecond, long startMs, long durationMs, long seed) implements Serializable {
    public static final int DEFAULT_SERIES = 100;
    public static final long DEFAULT_INTERVAL_MS = 15_000;

    public GeneratorSourceConfig {
        metrics = List.copyOf(metrics);
    }

    /** What a generator block without {@code metrics} produces. */
    public static List<GeneratedMetric> defaultMetrics() {
        return List.of(
                new GeneratedMetric("demo_http_requests_total", GeneratedMetric.Kind.COUNTER, java.util.Map.of()),
                new GeneratedMetric("demo_temperature_celsius", GeneratedMetric.Kind.GAUGE, java.util.Map.of()));
    }
}
