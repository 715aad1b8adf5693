package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Deterministic input data for end-to-end tests, as OpenMetrics text (for promtool and the sources) and as samples.
 *
 * <p>Four scrape targets of job "api", scraped every 15 s: {@code a} for the whole span, {@code b} restarts at 60%
 * of the span (its counters and histogram reset), {@code c} starts late (at 1/3), {@code d} stops early (at 2/3;
 * a backfill has no staleness markers, so its series just end and fade out after the 5m lookback). Plus one
 * target without job label for two rooms' temperatures (gauges that go negative). Metrics:
 * <ul>
 *   <li>{@code http_requests_total{job,instance,method=GET|POST}}: integer counter (POST sometimes flat);</li>
 *   <li>{@code process_cpu_seconds_total{job,instance}}: fractional counter;</li>
 *   <li>{@code memory_usage_bytes{job,instance}}: gauge, random walk;</li>
 *   <li>{@code build_info{job,instance,version}} = 1: shares job and instance with the others, for
 *       {@code * on(instance) group_left(version) build_info};</li>
 *   <li>{@code request_duration_seconds_bucket{le}}, {@code _sum}, {@code _count} for a and b: classic histogram;</li>
 *   <li>{@code temperature_celsius{room}}: gauge.</li>
 * </ul>
 *
 * <p>Timestamps: every target has its own phase within the 15 s interval and every scrape a jitter of up to
 * 0.38 s, and no timestamp lies within 100 ms of a multiple of 5 s: so no sample sits on an evaluation timestamp or a
 * range boundary for intervals and ranges that are multiples of 5 s (where Prometheus 2.42, closed ranges, and
 * 3.x, left-open ranges, would disagree). All timestamps are exact for promtool (see {@link OpenMetricsText}).
 */
public final class OpenMetricsTestData {
    public static final long DEFAULT_START_MS = 1_577_836_800_000L;   // 2020-01-01T00:00:00Z
    public static final Duration DEFAULT_LENGTH = Duration.ofMinutes(30);
    public static final long SCRAPE_INTERVAL_MS = 15_000;
    private static final long LOOKBACK_MS = 5 * 60_000;
    private static final String[] INSTANCES = {"a", "b", "c", "d"};
    private static final String[] VERSIONS = {"1.2.0", "1.2.0", "1.3.0", "1.1.0"};
    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, Double.POSITIVE_INFINITY};

    private final long startMs;
    private final long endMs;
    private final String text;
    private final List<LabeledSample> samples;

    private OpenMetricsTestData(long startMs, long endMs, String text, List<LabeledSample> samples) {
        this.startMs = startMs;
        this.endMs = endMs;
        this.text = text;
        this.samples = samples;
    }

    /** 30 minutes from 2020-01-01T00:00:00Z, seed 42. */
    public static OpenMetricsTestData generate() { return generate(DEFAULT_START_MS, DEFAULT_LENGTH, 42); }

    /** Samples with timestamps in {@code [startMs, startMs + length)}; equal arguments give equal data. */
    public static OpenMetricsTestData generate(long startMs, Duration length, long seed) {
        if (length.toMillis() < 4 * SCRAPE_INTERVAL_MS) throw new IllegalArgumentException("length below 1 minute: " + length);
        return new Generator(startMs, startMs + length.toMillis(), new Random(seed)).run();
    }

    /** The OpenMetrics text, ending with {@code # EOF}. */
    public String text() { return text; }

    /** Every sample of {@link #text()}, in text order; labels include {@code __name__}. */
    public List<LabeledSample> samples() { return samples; }

    /** The samples grouped by series, each in time order. */
    public SortedMap<Labels, List<Sample>> series() {
        SortedMap<Labels, List<Sample>> out = new TreeMap<>();
        for (LabeledSample s : samples) out.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new Sample(s.timestampMs(), s.value()));
        return out;
    }

    public long startMs() { return startMs; }

    /** Exclusive end of the data; the last sample is earlier. */
    public long endMs() { return endMs; }

    /**
     * The multiples of {@code intervalMs} from {@code startMs} up to {@code endMs} + 5 minutes: the evaluation
     * timestamps of a rule group with that interval, including the lookback tail after the data ends.
     */
    public List<Long> evaluationTimestamps(long intervalMs) {
        List<Long> out = new ArrayList<>();
        long first = Math.floorDiv(startMs + intervalMs - 1, intervalMs) * intervalMs;
        for (long t = first; t <= endMs + LOOKBACK_MS; t += intervalMs) out.add(t);
        return out;
    }

    private static final class Generator {
        private final long start;
        private final long end;
        private final Random random;
        private final StringBuilder text = new StringBuilder();
        private final List<LabeledSample> samples = new ArrayList<>();
        /** Per target: its scrape timestamps. */
        private final Map<String, List<Long>> scrapes = new TreeMap<>();

        Generator(long start, long end, Random random) {
            this.start = start;
            this.end = end;
            this.random = random;
        }

        OpenMetricsTestData run() {
            long length = end - start;
            for (int i = 0; i < INSTANCES.length; i++) {
                String inst = INSTANCES[i];
                long from = inst.equals("c") ? start + length / 3 : start;
                long until = inst.equals("d") ? start + 2 * length / 3 : end;
                scrapes.put(inst, scrapeTimes(from, until));
            }
            scrapes.put("rooms", scrapeTimes(start, end));
            long restartOfB = scrapes.get("b").stream().filter(t -> t >= start + 6 * length / 10).findFirst().orElseThrow();

            family("http_requests", "counter", "Requests served.");
            for (int i = 0; i < INSTANCES.length; i++) {
                for (String method : new String[] {"GET", "POST"}) {
                    Labels l = Labels.of("__name__", "http_requests_total", "job", "api", "instance", INSTANCES[i], "method", method);
                    double v = random.nextInt(1000);
                    for (long t : scrapes.get(INSTANCES[i])) {
                        if (restarts(INSTANCES[i], restartOfB, t)) v = 0;
                        v += method.equals("GET") ? 5 + random.nextInt(21) : Math.max(0, random.nextInt(10) - 3);
                        sample(l, v, t);
                    }
                }
            }
            family("process_cpu_seconds", "counter", "CPU time used.");
            for (String inst : INSTANCES) {
                Labels l = Labels.of("__name__", "process_cpu_seconds_total", "job", "api", "instance", inst);
                double v = random.nextInt(100_000) / 1000.0;
                for (long t : scrapes.get(inst)) {
                    if (restarts(inst, restartOfB, t)) v = 0;
                    v = round3(v + 0.1 + random.nextInt(1400) / 1000.0);
                    sample(l, v, t);
                }
            }
            family("memory_usage_bytes", "gauge", "Resident memory.");
            for (String inst : INSTANCES) {
                Labels l = Labels.of("__name__", "memory_usage_bytes", "job", "api", "instance", inst);
                double v = 100_000_000 + random.nextInt(50_000_000);
                for (long t : scrapes.get(inst)) {
                    v = Math.max(10_000_000, v + random.nextInt(4_000_001) - 2_000_000);
                    sample(l, v, t);
                }
            }
            family("build_info", "gauge", "Build version of the target.");
            for (int i = 0; i < INSTANCES.length; i++) {
                Labels l = Labels.of("__name__", "build_info", "job", "api", "instance", INSTANCES[i], "version", VERSIONS[i]);
                for (long t : scrapes.get(INSTANCES[i])) sample(l, 1, t);
            }
            histogram(restartOfB);
            family("temperature_celsius", "gauge", "Room temperature.");
            double[] base = {21.5, -18};
            String[] rooms = {"lab", "cold-store"};
            for (int r = 0; r < rooms.length; r++) {
                Labels l = Labels.of("__name__", "temperature_celsius", "room", rooms[r]);
                for (long t : scrapes.get("rooms")) {
                    double wave = 3 * Math.sin((t - start) / 300_000.0 * Math.PI) + random.nextInt(200) / 100.0 - 1;
                    sample(l, round3(base[r] + wave), t);
                }
            }
            text.append("# EOF\n");
            return new OpenMetricsTestData(start, end, text.toString(), Collections.unmodifiableList(samples));
        }

        /** Target b restarts once: its counters start from 0 again at scrape {@code restartOfB}. */
        private static boolean restarts(String instance, long restartOfB, long t) {
            return instance.equals("b") && t == restartOfB;
        }

        private void histogram(long restartOfB) {
            family("request_duration_seconds", "histogram", "Request latency.");
            for (String inst : new String[] {"a", "b"}) {
                Labels base = Labels.of("job", "api", "instance", inst);
                long[] cumulative = new long[BUCKETS.length];
                double sum = 0;
                for (long t : scrapes.get(inst)) {
                    if (restarts(inst, restartOfB, t)) {
                        cumulative = new long[BUCKETS.length];
                        sum = 0;
                    }
                    int observations = random.nextInt(31);
                    for (int o = 0; o < observations; o++) {
                        double latency = Math.min(3, -Math.log(1 - random.nextDouble()) * 0.2);
                        for (int b = 0; b < BUCKETS.length; b++) if (latency <= BUCKETS[b]) cumulative[b]++;
                        sum += latency;
                    }
                    sum = round3(sum);
                    for (int b = 0; b < BUCKETS.length; b++) {
                        Labels bucket = base.with("__name__", "request_duration_seconds_bucket").with("le", OpenMetricsText.value(BUCKETS[b]));
                        sample(bucket, cumulative[b], t);
                    }
                    sample(base.with("__name__", "request_duration_seconds_count"), cumulative[BUCKETS.length - 1], t);
                    sample(base.with("__name__", "request_duration_seconds_sum"), sum, t);
                }
            }
        }

        /** Every 15 s in [from, until): phase and jitter keep each timestamp >= 100 ms away from multiples of 5 s. */
        private List<Long> scrapeTimes(long from, long until) {
            long phase = 500 + random.nextInt(4001) + 5000L * random.nextInt(3);   // offset within the 15 s grid
            List<Long> out = new ArrayList<>();
            long first = Math.floorDiv(from + SCRAPE_INTERVAL_MS - 1, SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;
            for (long slot = first; ; slot += SCRAPE_INTERVAL_MS) {
                long t = slot + phase + random.nextInt(761) - 380;
                while (!OpenMetricsText.plainTimestampIsExact(t)) t++;   // keep the text plain; a few ms do not matter
                if (t >= until) break;
                if (t >= from) out.add(t);
            }
            return out;
        }

        private void family(String name, String type, String help) {
            text.append("# HELP ").append(name).append(' ').append(help).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        private void sample(Labels labels, double value, long t) {
            text.append(OpenMetricsText.sampleLine(labels, value, t)).append('\n');
            samples.add(new LabeledSample(labels, t, value));
        }

        private static double round3(double v) { return Math.round(v * 1000) / 1000.0; }
    }
}
