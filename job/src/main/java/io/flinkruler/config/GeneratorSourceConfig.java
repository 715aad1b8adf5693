package io.flinkruler.config;

import java.io.Serializable;

/**
 * {@code source.generator}: synthetic samples for demos and load tests. {@code targets} simulated
 * scrape targets ({@code instance="host-<i>:9100"}, {@code job="demo"}) each expose 19 series: four
 * {@code demo_requests_total} counters, a {@code demo_temperature_celsius} gauge and a classic
 * histogram {@code demo_request_duration_seconds}. Each series gets one sample every
 * {@code intervalMs} of event time from {@code startMs} (0: now). {@code fast} emits as fast as
 * possible (load tests, backfills); otherwise event time follows the wall clock (demos).
 * {@code durationMs} > 0 stops after that span of event time (a bounded job); 0 runs forever.
 * {@code seed} makes the values reproducible.
 */
public record GeneratorSourceConfig(String tenant, int targets, long intervalMs, boolean fast, long startMs, long durationMs,
                                    long seed) implements Serializable {
    public static final int DEFAULT_TARGETS = 10;
    public static final long DEFAULT_INTERVAL_MS = 15_000;
}
