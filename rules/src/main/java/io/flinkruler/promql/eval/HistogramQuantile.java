package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.Values.Smp;
import io.flinkruler.promql.eval.Values.Val;
import io.flinkruler.promql.eval.Values.VectorV;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** histogram_quantile over classic histograms (series with an {@code le} label), as Prometheus's BucketQuantile. */
final class HistogramQuantile {
    private HistogramQuantile() {}

    private static final double SMALL_DELTA_TOLERANCE = 1e-12;

    private static final class Buckets {
        Labels metric;
        boolean dropName;
        List<double[]> buckets = new ArrayList<>();
    }

    static Val apply(RuleEvaluator ev, PlanNode.Call c, Val[] a, long t) {
        double q = RuleEvaluator.scalarOf(a[0]);
        List<Smp> in = FunctionTable.samples(a[1]);
        List<Smp> out = new ArrayList<>();
        if (in.isEmpty()) return new VectorV(out);
        if (Double.isNaN(q) || q < 0 || q > 1) {
            ev.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(q), c.argPositions().get(0));
        }
        Map<Labels, Buckets> groups = new LinkedHashMap<>();
        for (Smp s : in) {
            double upper;
            String le = s.metric().get("le");
            try {
                upper = GoFloat.parse(le);
            } catch (NumberFormatException e) {
                String name = s.metric().metricName();
                String msg = "bucket label \"le\" is missing or has a malformed value of " + RuleEvaluator.goQuote(le);
                if (!name.isEmpty()) msg += " for metric name " + RuleEvaluator.goQuote(name);
                ev.annotations.warn(msg, c.argPositions().get(1));
                continue;
            }
            Labels key = s.metric().with("le", "");
            Buckets b = groups.computeIfAbsent(key, k -> {
                Buckets nb = new Buckets();
                nb.metric = k;
                return nb;
            });
            b.buckets.add(new double[] {upper, s.f()});
        }
        for (Buckets b : groups.values()) {
            double[] forced = new double[4];
            double v = bucketQuantile(q, b.buckets, forced);
            if (forced[0] != 0) {
                String name = b.metric.metricName();
                String msg = "input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)";
                if (!name.isEmpty()) msg += " for metric name " + RuleEvaluator.goQuote(name);
                ev.annotations.info(msg, c.argPositions().get(1));
            }
            out.add(new Smp(b.metric, v, true));
        }
        return new VectorV(out);
    }

    /** forced[0] is set to 1 when counts had to be made monotonic. */
    static double bucketQuantile(double q, List<double[]> buckets, double[] forced) {
        if (Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        List<double[]> bs = new ArrayList<>();
        for (double[] b : buckets) bs.add(b.clone());
        bs.sort((x, y) -> Double.compare(x[0], y[0]) == 0 ? 0 : (x[0] < y[0] ? -1 : (x[0] > y[0] ? 1 : 0)));
        if (!(bs.get(bs.size() - 1)[0] == Double.POSITIVE_INFINITY)) return Double.NaN;
        // coalesce equal upper bounds
        List<double[]> co = new ArrayList<>();
        double[] last = bs.get(0);
        for (int i = 1; i < bs.size(); i++) {
            double[] b = bs.get(i);
            if (b[0] == last[0]) last[1] += b[1];
            else {
                co.add(last);
                last = b;
            }
        }
        co.add(last);
        // ensure monotonic, ignoring tiny deltas
        double prev = co.get(0)[1];
        for (int i = 1; i < co.size(); i++) {
            double curr = co.get(i)[1];
            if (curr == prev) continue;
            if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
                co.get(i)[1] = prev;
                continue;
            }
            if (curr < prev) {
                co.get(i)[1] = prev;
                forced[0] = 1;
                continue;
            }
            prev = curr;
        }
        if (co.size() < 2) return Double.NaN;
        double observations = co.get(co.size() - 1)[1];
        if (observations == 0) return Double.NaN;
        double rank = q * observations;
        int b = 0;
        int n = co.size() - 1;
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (co.get(mid)[1] >= rank) hi = mid;
            else lo = mid + 1;
        }
        b = lo;
        if (b == co.size() - 1) return co.get(co.size() - 2)[0];
        if (b == 0 && co.get(0)[0] <= 0) return co.get(0)[0];
        double bucketStart = 0;
        double bucketEnd = co.get(b)[0];
        double count = co.get(b)[1];
        if (b > 0) {
            bucketStart = co.get(b - 1)[0];
            count -= co.get(b - 1)[1];
            rank -= co.get(b - 1)[1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    static boolean almostEqual(double a, double b, double epsilon) {
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double minNormal = Double.MIN_NORMAL;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < minNormal) return diff < epsilon * minNormal;
        return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
    }
}
