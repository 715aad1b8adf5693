package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.ast.LabelMatcher;

import java.util.List;

/**
 * The per-series step: evaluates every leaf of a plan over the series of one shard at all query
 * times the evaluation needs. Reads the store's arrays directly; the only allocations are per
 * matching series (its entry in the output), never per sample.
 */
public final class SeriesStep {
    private SeriesStep() {}

    public static LeafValues evaluate(EvalPlan plan, SeriesStore store, long evalTsMs) {
        return evaluate(plan, store, QueryTimes.instant(evalTsMs));
    }

    /** Evaluation at one step of a range query from startTs to endTs (what promqltest runs). */
    public static LeafValues evaluate(EvalPlan plan, SeriesStore store, long evalTsMs, long startTsMs, long endTsMs, long stepMs) {
        return evaluate(plan, store, new QueryTimes(evalTsMs, startTsMs, endTsMs, stepMs));
    }

    static LeafValues evaluate(EvalPlan plan, SeriesStore store, QueryTimes q) {
        long[][] times = plan.leafTimes(q);
        List<Leaf> leaves = plan.leaves();
        LeafData[] data = new LeafData[leaves.size()];
        LeafValues out = new LeafValues(data);
        AnnotationSink annotations = new AnnotationSink();
        RangeInput in = new RangeInput();
        in.annotations = annotations;
        for (Leaf leaf : leaves) {
            LeafData d = new LeafData(times[leaf.index], leaf.kind == Leaf.Kind.RAW_RANGE);
            data[leaf.index] = d;
            if (d.times.length == 0) continue;
            try {
                if (leaf.indexNames.length > 0) {
                    int key = smallestIndexKey(leaf, store);
                    if (key < 0) continue;
                    for (String value : leaf.indexValues[key]) {
                        PostingList candidates = store.postings(leaf.indexNames[key], value);
                        if (candidates == null) continue;
                        int[] ids = candidates.ids();
                        for (int i = 0, n = candidates.size(); i < n; i++) visit(leaf, store, ids[i], d, q, plan.options(), in);
                    }
                } else {
                    int limit = store.idLimit();
                    for (int id = 0; id < limit; id++) {
                        if (store.labels(id) != null) visit(leaf, store, id, d, q, plan.options(), in);
                    }
                }
            } catch (EvalError e) {
                if (out.error == null) out.error = e.getMessage();
            }
        }
        out.annotations.addAll(annotations.toList());
        return out;
    }

    /**
     * The index matcher of the leaf with the fewest candidate series (a series has one value per
     * label name, so the postings of one matcher's values are disjoint); -1 when one has none.
     */
    private static int smallestIndexKey(Leaf leaf, SeriesStore store) {
        int best = -1;
        long bestSize = Long.MAX_VALUE;
        for (int k = 0; k < leaf.indexNames.length; k++) {
            long size = 0;
            for (String value : leaf.indexValues[k]) {
                PostingList p = store.postings(leaf.indexNames[k], value);
                if (p != null) size += p.size();
            }
            if (size == 0) return -1;
            if (size < bestSize) {
                best = k;
                bestSize = size;
            }
        }
        return best;
    }

    private static boolean matches(List<LabelMatcher> matchers, Labels labels) {
        for (int i = 0, n = matchers.size(); i < n; i++) {
            LabelMatcher m = matchers.get(i);
            if (!m.matches(labels.get(m.name()))) return false;
        }
        return true;
    }

    private static void visit(Leaf leaf, SeriesStore store, int id, LeafData d, QueryTimes q, EvalOptions options, RangeInput in) {
        Labels labels = store.labels(id);
        if (!matches(leaf.matchers, labels)) return;
        long[] ts = store.times(id);
        double[] vs = store.values(id);
        int head = store.head(id), tail = store.tail(id);
        long[] times = d.times;
        if (leaf.kind == Leaf.Kind.RAW_RANGE) {
            visitRaw(leaf, labels, ts, vs, head, tail, d, q);
            return;
        }
        int series = d.addValueSeries(labels);
        boolean any = false;
        for (int k = 0; k < times.length; k++) {
            long e = q.effective(leaf.at(), times[k]);
            long ref = e - leaf.offsetMs();
            switch (leaf.kind) {
                case INSTANT, TIMESTAMP -> {
                    int i = SeriesStore.upperBound(ts, head, tail, ref) - 1;
                    if (i < head || ts[i] <= ref - options.lookbackDeltaMs() || StaleMarker.is(vs[i])) continue;
                    d.set(series, k, leaf.kind == Leaf.Kind.INSTANT ? vs[i] : ts[i] / 1000.0);
                    any = true;
                }
                case RANGE_FUNCTION -> {
                    if (!fillRange(in, ts, vs, head, tail, ref - leaf.rangeMs, ref)) continue;
                    in.rangeMs = leaf.rangeMs;
                    in.evalTs = times[k];
                    in.params = leaf.params;
                    in.paramPosition = leaf.paramPosition;
                    in.metricName = labels.metricName();
                    if (leaf.function.apply(in)) {
                        d.set(series, k, in.result);
                        any = true;
                        FunctionTable.noteCounterUse(leaf.functionName, labels.metricName(), leaf.selectorPosition, in.annotations);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        if (!any) d.dropLast();
    }

    private static void visitRaw(Leaf leaf, Labels labels, long[] ts, double[] vs, int head, int tail, LeafData d, QueryTimes q) {
        long[] times = d.times;
        int[] offsets = new int[times.length + 1];
        int total = 0;
        int[] from = new int[times.length];
        int[] to = new int[times.length];
        for (int k = 0; k < times.length; k++) {
            long ref = q.effective(leaf.at(), times[k]) - leaf.offsetMs();
            from[k] = SeriesStore.upperBound(ts, head, tail, ref - leaf.rangeMs);
            to[k] = SeriesStore.upperBound(ts, head, tail, ref);
            for (int i = from[k]; i < to[k]; i++) if (!StaleMarker.is(vs[i])) total++;
        }
        if (total == 0) return;
        long[] rts = new long[total];
        double[] rvs = new double[total];
        int p = 0;
        for (int k = 0; k < times.length; k++) {
            offsets[k] = p;
            for (int i = from[k]; i < to[k]; i++) {
                if (StaleMarker.is(vs[i])) continue;
                rts[p] = ts[i];
                rvs[p] = vs[i];
                p++;
            }
        }
        offsets[times.length] = p;
        d.addRawSeries(labels, offsets, rts, rvs);
    }

    /** Copies the non-stale samples in (from, to] into the input; false when there are none. */
    static boolean fillRange(RangeInput in, long[] ts, double[] vs, int head, int tail, long fromExclusive, long toInclusive) {
        int a = SeriesStore.upperBound(ts, head, tail, fromExclusive);
        int b = SeriesStore.upperBound(ts, a, tail, toInclusive);
        in.ensureCapacity(b - a);
        int n = 0;
        long[] its = in.ts;
        double[] ivs = in.vs;
        for (int i = a; i < b; i++) {
            double v = vs[i];
            if (StaleMarker.is(v)) continue;
            its[n] = ts[i];
            ivs[n] = v;
            n++;
        }
        in.n = n;
        in.rangeStart = fromExclusive;
        in.rangeEnd = toInclusive;
        return n > 0;
    }
}
