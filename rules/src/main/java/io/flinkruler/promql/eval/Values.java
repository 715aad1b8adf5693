package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;

import java.util.List;

/** Values flowing through the per-rule step. {@code dropName}: delayed removal of __name__. */
final class Values {
    private Values() {}

    record Smp(Labels metric, double f, boolean dropName) {}

    /** One series of a matrix: points t[0..n), v[0..n) ascending. */
    static final class Ser {
        final Labels metric;
        boolean dropName;
        long[] t = new long[4];
        double[] v = new double[4];
        int n;

        Ser(Labels metric, boolean dropName) {
            this.metric = metric;
            this.dropName = dropName;
        }

        void add(long ts, double value) {
            if (n == t.length) {
                t = java.util.Arrays.copyOf(t, n * 2);
                v = java.util.Arrays.copyOf(v, n * 2);
            }
            t[n] = ts;
            v[n] = value;
            n++;
        }
    }

    sealed interface Val permits ScalarV, StringV, VectorV, MatrixV {}

    record ScalarV(double v) implements Val {}

    record StringV(String s) implements Val {}

    record VectorV(List<Smp> samples) implements Val {}

    record MatrixV(List<Ser> series) implements Val {}
}
