package io.flinkruler.source;

import io.flinkruler.model.Labels;

/**
 * The demo series of one simulated target and their values, each a pure function of
 * (seed, target, series, round) so that any round can be produced again after a restore:
 * <ul>
 *   <li>{@code demo_requests_total{instance,job,method,status}}: 4 counters (GET/POST x 200/500), rising
 *       by a per-series rate with jitter, restarting from zero every {@code counterResetEveryRounds};</li>
 *   <li>{@code demo_temperature_celsius{instance,job}}: a gauge swinging around 20 with noise;</li>
 *   <li>{@code demo_request_duration_seconds_bucket{le=...}}, {@code _sum}, {@code _count}: a classic
 *       histogram of an exponential latency distribution whose buckets, sum and count all rise together
 *       and reset together.</li>
 * </ul>
 */
final class GeneratedSeries {
    static final String JOB = "demo";
    static final String[] METHODS = {"GET", "POST"};
    static final String[] STATUSES = {"200", "500"};
    static final String[] BUCKET_LABELS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
    private static final double[] BUCKET_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};
    static final int COUNTERS = METHODS.length * STATUSES.length;
    static final int SERIES_PER_TARGET = COUNTERS + 1 + BUCKET_LABELS.length + 2;
    private static final int TEMPERATURE_PERIOD_ROUNDS = 240;

    private final long seed;
    private final int target;
    private final double intervalSeconds;
    private final int resetEvery;
    /** Labels of the series, in emission order; built once per target. */
    final Labels[] labels = new Labels[SERIES_PER_TARGET];
    private final double[] counterRates = new double[COUNTERS];
    private final double requestRate;
    private final double meanLatencySeconds;

    GeneratedSeries(long seed, int target, long intervalMs, int resetEvery) {
        this.seed = seed;
        this.target = target;
        this.intervalSeconds = intervalMs / 1000.0;
        this.resetEvery = resetEvery;
        String instance = "host-" + target + ":9100";
        int s = 0;
        for (String method : METHODS) {
            for (String status : STATUSES) {
                labels[s] = Labels.of("__name__", "demo_requests_total", "instance", instance, "job", JOB,
                        "method", method, "status", status);
                double base = 1 + unit(s, -1) * 9;               // 1..10 requests/s
                counterRates[s] = status.equals("200") ? base : base * 0.05;
                s++;
            }
        }
        labels[s++] = Labels.of("__name__", "demo_temperature_celsius", "instance", instance, "job", JOB);
        for (String le : BUCKET_LABELS) {
            labels[s++] = Labels.of("__name__", "demo_request_duration_seconds_bucket", "instance", instance, "job", JOB, "le", le);
        }
        labels[s++] = Labels.of("__name__", "demo_request_duration_seconds_sum", "instance", instance, "job", JOB);
        labels[s] = Labels.of("__name__", "demo_request_duration_seconds_count", "instance", instance, "job", JOB);
        requestRate = 2 + unit(100, -1) * 8;
        meanLatencySeconds = 0.02 + unit(101, -1) * 0.3;
    }

    /** Writes the values of all series at {@code round} into {@code values} (emission order). */
    void values(long round, double[] values) {
        int s = 0;
        for (; s < COUNTERS; s++) values[s] = counter(s, counterRates[s], round);
        double phase = unit(200, -1) * TEMPERATURE_PERIOD_ROUNDS;
        double temperature = 20 + 5 * Math.sin(2 * Math.PI * (round + phase) / TEMPERATURE_PERIOD_ROUNDS) + unit(201, round) - 0.5;
        values[s++] = Math.round(temperature * 100) / 100.0;
        double count = counter(300, requestRate, round);
        for (double bound : BUCKET_BOUNDS) {
            double fraction = Double.isInfinite(bound) ? 1 : 1 - Math.exp(-bound / meanLatencySeconds);
            values[s++] = Math.floor(count * fraction);
        }
        values[s++] = count * meanLatencySeconds;
        values[s] = count;
    }

    /**
     * A counter: {@code floor(rate*interval*k + jitter)} with k the rounds since its last reset and
     * jitter in [0, rate*interval/2), so it never decreases between resets.
     */
    private double counter(int series, double ratePerSecond, long round) {
        double perRound = ratePerSecond * intervalSeconds;
        long k = round;
        if (resetEvery > 0) {
            long phase = (long) (unit(series, -2) * resetEvery);
            k = Math.floorMod(round + phase, (long) resetEvery);
        }
        return Math.floor(perRound * k + unit(series, round) * perRound / 2);
    }

    /** A deterministic number in [0, 1) for (seed, target, series, round). */
    private double unit(int series, long round) {
        long h = mix(seed ^ mix(target * 0x9E3779B97F4A7C15L + series) ^ mix(round + 0x632BE59BD9B4E019L));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
