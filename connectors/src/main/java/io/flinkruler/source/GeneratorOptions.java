package io.flinkruler.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link GeneratorSource}: {@code targets} simulated scrape targets of one tenant,
 * each yielding {@link GeneratedSeries#SERIES_PER_TARGET} series, one sample per series every
 * {@code interval}.
 *
 * @param mode         {@link Mode#LIVE}: a round is emitted when the wall clock reaches its time;
 *                     {@link Mode#FAST}: rounds are emitted as fast as possible from {@code startTimeMs}
 * @param startTimeMs  time of round 0; {@link #START_NOW} in live mode means "now, aligned down to the interval"
 * @param rounds       how many rounds to emit, {@link #UNBOUNDED} for an endless source
 * @param splits       how many splits share the targets; 0 = the source's parallelism
 * @param seed         varies the generated values; the same options always give the same samples
 * @param counterResetEveryRounds counters (and histograms) restart from zero this often per series (at
 *                     a per-series phase); 0 = never
 */
public record GeneratorOptions(String tenant, int targets, Duration interval, Mode mode, long startTimeMs, long rounds,
                               int splits, long seed, int counterResetEveryRounds) implements Serializable {
    public static final long START_NOW = Long.MIN_VALUE;
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public enum Mode { LIVE, FAST }

    public GeneratorOptions {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mode, "mode");
        if (tenant.isEmpty()) throw new IllegalArgumentException("tenant must not be empty");
        if (targets < 1) throw new IllegalArgumentException("targets must be at least 1");
        if (interval.toMillis() < 1) throw new IllegalArgumentException("interval must be at least 1ms");
        if (mode == Mode.FAST && startTimeMs == START_NOW) throw new IllegalArgumentException("fast mode needs a start time");
        if (rounds < 0) throw new IllegalArgumentException("rounds must not be negative");
        if (splits < 0) throw new IllegalArgumentException("splits must not be negative");
        if (counterResetEveryRounds < 0) throw new IllegalArgumentException("counterResetEveryRounds must not be negative");
    }

    /** Live, endless: timestamps are now, one round of all series every interval. */
    public static GeneratorOptions live(String tenant, int targets, Duration interval) {
        return new GeneratorOptions(tenant, targets, interval, Mode.LIVE, START_NOW, UNBOUNDED, 0, 1L, 240);
    }

    /** Fast, endless until {@link #withRounds} or {@link #withEndTime} bound it: for tests and backfills. */
    public static GeneratorOptions fast(String tenant, int targets, Duration interval, long startTimeMs) {
        return new GeneratorOptions(tenant, targets, interval, Mode.FAST, startTimeMs, UNBOUNDED, 0, 1L, 240);
    }

    public GeneratorOptions withRounds(long n) {
        return new GeneratorOptions(tenant, targets, interval, mode, startTimeMs, n, splits, seed, counterResetEveryRounds);
    }

    /** Bounds the rounds to those before {@code endTimeMs} (exclusive); needs a fixed start time. */
    public GeneratorOptions withEndTime(long endTimeMs) {
        if (startTimeMs == START_NOW) throw new IllegalStateException("an end time needs a fixed start time");
        long ms = interval.toMillis();
        long n = endTimeMs <= startTimeMs ? 0 : (endTimeMs - startTimeMs + ms - 1) / ms;
        return withRounds(n);
    }

    public GeneratorOptions withStartTime(long startMs) {
        return new GeneratorOptions(tenant, targets, interval, mode, startMs, rounds, splits, seed, counterResetEveryRounds);
    }

    public GeneratorOptions withSplits(int n) {
        return new GeneratorOptions(tenant, targets, interval, mode, startTimeMs, rounds, n, seed, counterResetEveryRounds);
    }

    public GeneratorOptions withSeed(long s) {
        return new GeneratorOptions(tenant, targets, interval, mode, startTimeMs, rounds, splits, s, counterResetEveryRounds);
    }

    public GeneratorOptions withCounterResetEveryRounds(int n) {
        return new GeneratorOptions(tenant, targets, interval, mode, startTimeMs, rounds, splits, seed, n);
    }

    public boolean bounded() { return rounds != UNBOUNDED; }

    /** How many series a round has (one sample each). */
    public int seriesPerRound() { return targets * GeneratedSeries.SERIES_PER_TARGET; }

    public long samplesPerRound() { return (long) targets * GeneratedSeries.SERIES_PER_TARGET; }

    /** Total samples of a bounded source. */
    public long totalSamples() {
        if (!bounded()) throw new IllegalStateException("unbounded");
        return rounds * samplesPerRound();
    }
}
