package io.flinkruler.promql.eval;

/**
 * The arguments of one range-function call: the float samples of one series inside the range
 * (stale markers removed, ascending), the range bounds, the constant parameters, and where the
 * result and annotations go. One instance is reused for all series of an evaluation.
 */
final class RangeInput {
    long[] ts = new long[64];
    double[] vs = new double[64];
    int n;
    /** Exclusive lower bound and inclusive upper bound of the range, ms. */
    long rangeStart;
    long rangeEnd;
    long rangeMs;
    /** The evaluation timestamp of the call (predict_linear extrapolates from it). */
    long evalTs;
    double[] params = new double[0];
    String metricName = "";
    /** Output. */
    double result;
    /** Scratch for functions that sort. */
    double[] scratch = new double[64];
    AnnotationSink annotations;
    int paramPosition;

    void ensureCapacity(int size) {
        if (ts.length < size) {
            int cap = Math.max(size, ts.length * 2);
            ts = java.util.Arrays.copyOf(ts, cap);
            vs = java.util.Arrays.copyOf(vs, cap);
        }
    }

    double[] scratch(int size) {
        if (scratch.length < size) scratch = new double[Math.max(size, scratch.length * 2)];
        return scratch;
    }

    double rangeSeconds() { return rangeMs / 1000.0; }
}
