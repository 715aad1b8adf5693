package io.flinkruler.promql.eval;

/**
 * Engine settings that change results: the instant-vector lookback (Prometheus default 5m) and the
 * step of subqueries written without one ({@code x[10m:]}), which for rules is the group interval.
 */
public record EvalOptions(long lookbackDeltaMs, long defaultSubqueryStepMs) {
    public static final long DEFAULT_LOOKBACK_MS = 5 * 60_000L;

    public EvalOptions {
        if (lookbackDeltaMs <= 0) throw new IllegalArgumentException("lookback must be positive");
        if (defaultSubqueryStepMs <= 0) throw new IllegalArgumentException("default subquery step must be positive");
    }

    public static EvalOptions defaults(long intervalMs) {
        return new EvalOptions(DEFAULT_LOOKBACK_MS, intervalMs);
    }
}
