package io.flinkruler.promql.eval;

import java.util.Arrays;

/**
 * Float implementations of Prometheus's range-vector functions (functions.go), written against
 * primitive arrays so that the per-series step allocates nothing per sample. The same code serves
 * ranges read from a {@link SeriesStore} and ranges built from subquery results.
 */
final class RangeFunctions {
    private RangeFunctions() {}

    static boolean rate(RangeInput in) { return extrapolatedRate(in, true, true); }

    static boolean increase(RangeInput in) { return extrapolatedRate(in, true, false); }

    static boolean delta(RangeInput in) { return extrapolatedRate(in, false, false); }

    /** Prometheus's extrapolation: extend to the range bounds unless the gap exceeds 1.1x the average interval. */
    private static boolean extrapolatedRate(RangeInput in, boolean isCounter, boolean isRate) {
        int n = in.n;
        long[] ts = in.ts;
        double[] vs = in.vs;
        if (n < 2) return false;
        double result = vs[n - 1] - vs[0];
        if (isCounter) {
            for (int i = 1; i < n; i++) {
                if (vs[i] < vs[i - 1]) result += vs[i - 1];
            }
        }
        long firstT = ts[0], lastT = ts[n - 1];
        double durationToStart = (firstT - in.rangeStart) / 1000.0;
        double durationToEnd = (in.rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
        if (isCounter) {
            double durationToZero = durationToStart;
            if (result > 0 && vs[0] >= 0) durationToZero = sampledInterval * (vs[0] / result);
            if (durationToZero < durationToStart) durationToStart = durationToZero;
        }
        if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
        double factor = 1.0;
        if (sampledInterval != 0) factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) factor /= in.rangeSeconds();
        in.result = result * factor;
        return true;
    }

    static boolean irate(RangeInput in) { return instantValue(in, true); }

    static boolean idelta(RangeInput in) { return instantValue(in, false); }

    private static boolean instantValue(RangeInput in, boolean isRate) {
        int n = in.n;
        if (n < 2) return false;
        long t0 = in.ts[n - 2], t1 = in.ts[n - 1];
        double v0 = in.vs[n - 2], v1 = in.vs[n - 1];
        long sampledInterval = t1 - t0;
        if (sampledInterval == 0) return false;
        double result = v1;
        if (!isRate || !(v1 < v0)) result = v1 - v0;
        if (isRate) result /= sampledInterval / 1000.0;
        in.result = result;
        return true;
    }

    static boolean deriv(RangeInput in) {
        if (in.n < 2) return false;
        in.result = linearRegression(in, in.ts[0], false);
        return true;
    }

    static boolean predictLinear(RangeInput in) {
        if (in.n < 2) return false;
        double duration = in.params[0];
        double slope = linearRegression(in, in.evalTs, false);
        double intercept = linearRegression(in, in.evalTs, true);
        in.result = slope * duration + intercept;
        return true;
    }

    /** Least-squares fit with compensated sums; returns the slope, or the intercept at interceptTime. */
    private static double linearRegression(RangeInput in, long interceptTime, boolean wantIntercept) {
        Kahan sumX = new Kahan(), sumY = new Kahan(), sumXY = new Kahan(), sumX2 = new Kahan();
        double n = 0;
        double initY = in.vs[0];
        boolean constY = true;
        for (int i = 0; i < in.n; i++) {
            double f = in.vs[i];
            if (constY && i > 0 && f != initY) constY = false;
            n += 1.0;
            double x = (in.ts[i] - interceptTime) / 1e3;
            sumX.add(x);
            sumY.add(f);
            sumXY.add(x * f);
            sumX2.add(x * x);
        }
        if (constY) {
            if (Double.isInfinite(initY)) return Double.NaN;
            return wantIntercept ? initY : 0;
        }
        double sx = sumX.sum + sumX.c;
        double sy = sumY.sum + sumY.c;
        double sxy = sumXY.sum + sumXY.c;
        double sx2 = sumX2.sum + sumX2.c;
        double covXY = sxy - sx * sy / n;
        double varX = sx2 - sx * sx / n;
        double slope = covXY / varX;
        if (!wantIntercept) return slope;
        return sy / n - slope * sx / n;
    }

    static boolean doubleExponentialSmoothing(RangeInput in) {
        double sf = in.params[0];
        double tf = in.params[1];
        if (sf <= 0 || sf >= 1) throw new EvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goF(sf));
        if (tf <= 0 || tf >= 1) throw new EvalError("invalid trend factor. Expected: 0 < tf < 1, got: " + goF(tf));
        int l = in.n;
        if (l < 2) return false;
        double s0 = 0, s1 = in.vs[0], b = in.vs[1] - in.vs[0];
        for (int i = 1; i < l; i++) {
            double x = sf * in.vs[i];
            if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        in.result = s1;
        return true;
    }

    /** Go's %f: six decimals. */
    private static String goF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    static boolean avgOverTime(RangeInput in) {
        double[] vs = in.vs;
        Kahan k = new Kahan(vs[0], 0);
        double count = 1, mean = 0;
        boolean incrementalMean = false;
        for (int i = 1; i < in.n; i++) {
            double f = vs[i];
            count = i + 1;
            if (!incrementalMean) {
                double prevSum = k.sum, prevC = k.c;
                k.add(f);
                if (!Double.isInfinite(k.sum)) continue;
                k.set(prevSum, prevC);
                incrementalMean = true;
                mean = k.sum / (count - 1);
                k.c /= (count - 1);
            }
            double q = (count - 1) / count;
            Kahan m = new Kahan(q * mean, q * k.c);
            m.add(f / count);
            mean = m.sum;
            k.c = m.c;
        }
        in.result = incrementalMean ? mean + k.c : k.sum / count + k.c / count;
        return true;
    }

    static boolean sumOverTime(RangeInput in) {
        Kahan k = new Kahan();
        for (int i = 0; i < in.n; i++) k.add(in.vs[i]);
        in.result = Double.isInfinite(k.sum) ? k.sum : k.sum + k.c;
        return true;
    }

    static boolean countOverTime(RangeInput in) {
        in.result = in.n;
        return true;
    }

    static boolean lastOverTime(RangeInput in) {
        in.result = in.vs[in.n - 1];
        return true;
    }

    static boolean firstOverTime(RangeInput in) {
        in.result = in.vs[0];
        return true;
    }

    static boolean presentOverTime(RangeInput in) {
        in.result = 1;
        return true;
    }

    static boolean tsOfFirstOverTime(RangeInput in) {
        in.result = in.ts[0] / 1000.0;
        return true;
    }

    static boolean tsOfLastOverTime(RangeInput in) {
        in.result = in.ts[in.n - 1] / 1000.0;
        return true;
    }

    static boolean maxOverTime(RangeInput in) { return compareOverTime(in, true, false); }

    static boolean minOverTime(RangeInput in) { return compareOverTime(in, false, false); }

    static boolean tsOfMaxOverTime(RangeInput in) { return compareOverTime(in, true, true); }

    static boolean tsOfMinOverTime(RangeInput in) { return compareOverTime(in, false, true); }

    private static boolean compareOverTime(RangeInput in, boolean max, boolean returnTimestamp) {
        double best = in.vs[0];
        long tsOfBest = in.ts[0];
        for (int i = 0; i < in.n; i++) {
            double cur = in.vs[i];
            boolean take;
            if (returnTimestamp) take = (max ? cur >= best : cur <= best) || Double.isNaN(best);
            else take = (max ? cur > best : cur < best) || Double.isNaN(best);
            if (take) {
                best = cur;
                tsOfBest = in.ts[i];
            }
        }
        in.result = returnTimestamp ? tsOfBest / 1000.0 : best;
        return true;
    }

    static boolean stddevOverTime(RangeInput in) {
        in.result = Math.sqrt(variance(in));
        return true;
    }

    static boolean stdvarOverTime(RangeInput in) {
        in.result = variance(in);
        return true;
    }

    private static double variance(RangeInput in) {
        double count = 0;
        Kahan mean = new Kahan(), aux = new Kahan();
        for (int i = 0; i < in.n; i++) {
            double f = in.vs[i];
            count++;
            double delta = f - (mean.sum + mean.c);
            mean.add(delta / count);
            aux.add(delta * (f - (mean.sum + mean.c)));
        }
        return (aux.sum + aux.c) / count;
    }

    static boolean quantileOverTime(RangeInput in) {
        double q = in.params[0];
        if (Double.isNaN(q) || q < 0 || q > 1) {
            in.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(q), in.paramPosition);
        }
        double[] s = in.scratch(in.n);
        System.arraycopy(in.vs, 0, s, 0, in.n);
        in.result = quantile(q, s, in.n);
        return true;
    }

    static boolean madOverTime(RangeInput in) {
        int n = in.n;
        double[] s = in.scratch(n);
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(in.vs[i])) {
                in.result = Double.NaN;
                return true;
            }
            s[i] = in.vs[i];
        }
        double median = quantile(0.5, s, n);
        for (int i = 0; i < n; i++) s[i] = Math.abs(s[i] - median);
        in.result = quantile(0.5, s, n);
        return true;
    }

    static boolean changes(RangeInput in) {
        int changes = 0;
        for (int i = 1; i < in.n; i++) {
            double prev = in.vs[i - 1], cur = in.vs[i];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) changes++;
        }
        in.result = changes;
        return true;
    }

    static boolean resets(RangeInput in) {
        int resets = 0;
        for (int i = 1; i < in.n; i++) {
            if (in.vs[i] < in.vs[i - 1]) resets++;
        }
        in.result = resets;
        return true;
    }

    /**
     * Prometheus's quantile over values[0..n) (sorts them; NaN sorts first as in its heap order):
     * linear interpolation between the closest ranks.
     */
    static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
    }

    static void sortNaNFirst(double[] values, int n) {
        Arrays.sort(values, 0, n);
        // Arrays.sort puts NaN last; Prometheus's ordering treats NaN as smallest.
        int nan = 0;
        while (nan < n && Double.isNaN(values[n - 1 - nan])) nan++;
        if (nan > 0 && nan < n) {
            System.arraycopy(values, 0, values, nan, n - nan);
            for (int i = 0; i < nan; i++) values[i] = Double.NaN;
        }
    }
}
