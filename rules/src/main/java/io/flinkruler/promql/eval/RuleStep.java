package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.Values.MatrixV;
import io.flinkruler.promql.eval.Values.ScalarV;
import io.flinkruler.promql.eval.Values.Ser;
import io.flinkruler.promql.eval.Values.Smp;
import io.flinkruler.promql.eval.Values.StringV;
import io.flinkruler.promql.eval.Values.Val;
import io.flinkruler.promql.eval.Values.VectorV;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-rule step: evaluates the rest of the expression from the merged leaf values of all
 * shards, then drops the metric names marked for (delayed) removal, as Prometheus does last.
 */
public final class RuleStep {
    private RuleStep() {}

    public static EvalResult evaluate(EvalPlan plan, LeafValues merged, long evalTsMs) throws EvalException {
        return evaluate(plan, merged, QueryTimes.instant(evalTsMs));
    }

    /** Evaluation at one step of a range query from startTs to endTs (what promqltest runs). */
    public static EvalResult evaluate(EvalPlan plan, LeafValues merged, long evalTsMs, long startTsMs, long endTsMs, long stepMs)
            throws EvalException {
        return evaluate(plan, merged, new QueryTimes(evalTsMs, startTsMs, endTsMs, stepMs));
    }

    static EvalResult evaluate(EvalPlan plan, LeafValues merged, QueryTimes q) throws EvalException {
        if (merged.error != null) throw new EvalException(merged.error);
        RuleEvaluator ev = new RuleEvaluator(plan, merged, q);
        ev.annotations.addAll(merged.annotations);
        Val v;
        try {
            v = ev.eval(plan.root(), q.evalTs());
        } catch (EvalError e) {
            throw new EvalException(e.getMessage());
        }
        List<Annotation> annos = ev.annotations.toList();
        if (v instanceof ScalarV s) return EvalResult.ofScalar(s.v(), annos);
        if (v instanceof StringV s) return EvalResult.ofString(s.s(), annos);
        if (v instanceof VectorV vec) {
                List<EvalResult.Sample> out = new ArrayList<>(vec.samples().size());
                Set<Labels> seen = new HashSet<>();
                for (Smp s : vec.samples()) {
                    Labels l = s.dropName() ? s.metric().withoutMetricName() : s.metric();
                    if (!seen.add(l)) throw new EvalException("vector cannot contain metrics with the same labelset");
                    out.add(new EvalResult.Sample(l, s.f()));
                }
            return EvalResult.ofVector(out, annos);
        }
        MatrixV m = (MatrixV) v;
        {
                List<EvalResult.Series> out = new ArrayList<>();
                for (Ser s : m.series()) {
                    Labels l = s.dropName ? s.metric.withoutMetricName() : s.metric;
                    out.add(new EvalResult.Series(l, Arrays.copyOf(s.t, s.n), Arrays.copyOf(s.v, s.n)));
                }
                out.sort((a, b) -> a.labels().compareTo(b.labels()));
            return EvalResult.ofMatrix(out, annos);
        }
    }
}
