package io.flinkruler.promql.eval;

/**
 * A function of one series' samples in a range (rate, *_over_time, ...). Called only when the range
 * holds at least one sample. Returns false when it has no value for the series; otherwise it
 * leaves the value in {@link RangeInput#result}. Throws {@link EvalError} for query errors.
 */
@FunctionalInterface
interface RangeFunction {
    boolean apply(RangeInput in);
}
