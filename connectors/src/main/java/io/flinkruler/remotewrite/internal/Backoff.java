package io.flinkruler.remotewrite.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] with d = min * 2^n capped at max,
 * so that many writers retrying after one outage spread out. A receiver's Retry-After replaces the drawn delay.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private int attempt;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ", " + max);
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    public Duration next(Duration retryAfter) {
        long ceiling = minMillis;
        for (int i = 0; i < attempt && ceiling < maxMillis; i++) ceiling *= 2;
        ceiling = Math.min(Math.max(ceiling, 1), Math.max(maxMillis, 1));
        attempt++;
        if (retryAfter != null && !retryAfter.isNegative()) return retryAfter;
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
