package io.flinkruler.promql.eval;

import io.flinkruler.promql.ast.AtModifier;

/**
 * The times of one evaluation: the instant being evaluated and the query's start, end and step
 * (what {@code @ start()}, {@code start()}, {@code step()} refer to). For a rule evaluation start
 * and end are the evaluation time and the step is 0.
 */
record QueryTimes(long evalTs, long startTs, long endTs, long stepMs) {
    static QueryTimes instant(long ts) { return new QueryTimes(ts, ts, ts, 0); }

    QueryTimes at(long ts) { return new QueryTimes(ts, startTs, endTs, stepMs); }

    boolean isRange() { return startTs != endTs; }

    /** The time a node with this {@code @} modifier is evaluated at when the query is at {@code t}. */
    long effective(AtModifier at, long t) {
        if (at == null) return t;
        return switch (at.kind()) {
            case TIMESTAMP -> at.timestampMs();
            case START -> startTs;
            case END -> endTs;
        };
    }

    /** Inner evaluation times of a subquery evaluated at (effective) time e, as Prometheus aligns them. */
    static long[] subqueryTimes(long e, long rangeMs, long stepMs, long offsetMs) {
        long end = e - offsetMs;
        long low = end - rangeMs;
        long start = stepMs * Math.floorDiv(low, stepMs);
        if (start <= low) start += stepMs;
        if (start > end) return new long[0];
        int n = (int) ((end - start) / stepMs) + 1;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = start + i * stepMs;
        return out;
    }
}
