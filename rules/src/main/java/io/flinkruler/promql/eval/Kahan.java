package io.flinkruler.promql.eval;

/**
 * Neumaier-compensated summation, step for step as Prometheus's kahansum.Inc: an infinite running
 * sum resets the compensation, and the larger magnitude operand decides the error term.
 */
final class Kahan {
    double sum;
    double c;

    Kahan() {}

    Kahan(double sum, double c) {
        this.sum = sum;
        this.c = c;
    }

    void add(double inc) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c += (sum - t) + inc;
        } else {
            c += (inc - t) + sum;
        }
        sum = t;
    }

    void set(double sum, double c) {
        this.sum = sum;
        this.c = c;
    }
}
