package io.flinkruler.benchmarks;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.EvalOptions;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.promql.parser.PromqlParseException;
import io.flinkruler.promql.parser.PromqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The data the benchmarks evaluate: 10,000 series of 60 samples 15 s apart (15 minutes, as a shard
 * holds them for a group with a 10m range), in five metric families of 2,000 series each, ending at
 * the evaluation timestamp.
 * <ul>
 *   <li>{@code http_requests_total{job, instance, code}}: counters, 10 jobs;</li>
 *   <li>{@code memory_bytes{job, instance}}: gauges;</li>
 *   <li>{@code up{job, instance}}: 0/1 gauges;</li>
 *   <li>{@code request_duration_seconds_bucket{job, instance, le}}: histogram buckets, 10 per histogram;</li>
 *   <li>{@code other_metric{job, instance}}: never selected (the name index skips it).</li>
 * </ul>
 */
final class Workload {
    static final int FAMILY_SERIES = 2_000;
    static final int FAMILIES = 5;
    static final int SERIES = FAMILY_SERIES * FAMILIES;
    static final int SAMPLES_PER_SERIES = 60;
    static final long STEP_MS = 15_000;
    /** An evaluation timestamp: a whole minute, the last sample of every series is at it. */
    static final long EVAL_TS = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, 60_000);
    static final long FIRST_TS = EVAL_TS - (SAMPLES_PER_SERIES - 1) * STEP_MS;
    /** Samples of one series inside a 5m range (t-5m, t]. */
    static final int SAMPLES_IN_5M = 20;
    /** Samples of one series inside a 10m range. */
    static final int SAMPLES_IN_10M = 40;

    private static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};

    private Workload() {}

    /** The label sets of all series, families interleaved as samples of one scrape would arrive. */
    static List<Labels> series() {
        List<Labels> out = new ArrayList<>(SERIES);
        for (int i = 0; i < FAMILY_SERIES; i++) {
            String job = "job-" + (i % 10);
            String instance = "host-" + i + ":9100";
            out.add(Labels.of("__name__", "http_requests_total", "job", job, "instance", "host-" + (i / 4) + ":9100",
                    "code", String.valueOf(200 + (i % 4) * 100)));
            out.add(Labels.of("__name__", "memory_bytes", "job", job, "instance", instance));
            out.add(Labels.of("__name__", "up", "job", job, "instance", instance));
            out.add(Labels.of("__name__", "request_duration_seconds_bucket", "job", "job-" + (i / 10 % 10),
                    "instance", "host-" + (i / 10) + ":9100", "le", LE[i % 10]));
            out.add(Labels.of("__name__", "other_metric", "job", job, "instance", instance));
        }
        return out;
    }

    /** A deterministic sample value of series {@code s} at sample index {@code k}. */
    static double value(Labels series, int s, int k, SplittableRandom random) {
        return switch (series.metricName()) {
            case "http_requests_total" -> 1000.0 * s + 7.0 * k + random.nextInt(3);
            case "request_duration_seconds_bucket" -> 100.0 * (s % 10 + 1) * (k + 1);
            case "up" -> random.nextInt(50) == 0 ? 0 : 1;
            default -> 1e6 + random.nextInt(1_000_000);
        };
    }

    /** A store with every series and all its samples, appended in time order. */
    static SeriesStore store() {
        List<Labels> series = series();
        SeriesStore store = new SeriesStore();
        int[] ids = new int[series.size()];
        for (int s = 0; s < ids.length; s++) ids[s] = store.seriesId(series.get(s));
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < SAMPLES_PER_SERIES; k++) {
            long ts = FIRST_TS + k * STEP_MS;
            for (int s = 0; s < ids.length; s++) store.append(ids[s], ts, value(series.get(s), s, k, random));
        }
        return store;
    }

    static EvalPlan plan(String expr) throws PromqlParseException {
        return EvalPlan.compile(PromqlParser.parse(expr), EvalOptions.defaults(60_000));
    }
}
