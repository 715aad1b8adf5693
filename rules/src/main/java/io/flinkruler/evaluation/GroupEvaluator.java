package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.eval.EvalException;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.EvalResult;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.RuleStep;
import io.flinkruler.rules.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-rule step of a whole group, with Prometheus rule-manager semantics: rules in order at the
 * same timestamp, {@code record} name and rule labels applied to each result series, the group
 * {@code limit}, duplicate series after labelling as an error of that rule, and staleness markers
 * for series a rule produced at its previous evaluation but not at this one.
 */
public final class GroupEvaluator {
    private GroupEvaluator() {}

    /** What a group remembers between evaluations: each rule's output series of the last evaluation. */
    public static final class Memory {
        final List<Set<Labels>> lastOutput = new ArrayList<>();

        public int ruleCount() { return lastOutput.size(); }
        public Set<Labels> lastOutput(int rule) { return lastOutput.get(rule); }

        public void setLastOutput(int rule, Set<Labels> series) {
            while (lastOutput.size() <= rule) lastOutput.add(new HashSet<>());
            lastOutput.set(rule, series);
        }
    }

    public record Result(RecordedSamples samples, List<RuleError> errors) {}

    /**
     * Evaluates every rule of {@code group} at evaluation timestamp {@code t}, given the merged leaf
     * values of all shards (an entry may be null when no shard had matching series).
     */
    public static Result evaluate(CompiledGroup group, LeafValues[] mergedPerRule, long t, Memory memory) {
        RecordedSamples out = new RecordedSamples();
        List<RuleError> errors = new ArrayList<>();
        long ts = group.queryTimestamp(t);
        for (int i = 0; i < group.ruleCount(); i++) {
            EvalPlan plan = group.plan(i);
            if (plan == null) continue;
            Rule rule = group.group().rules().get(i);
            Set<Labels> previous = i < memory.ruleCount() ? memory.lastOutput(i) : Set.of();
            Set<Labels> current = new HashSet<>();
            try {
                LeafValues leaves = mergedPerRule[i] != null ? mergedPerRule[i] : SeriesStep.evaluate(plan, new SeriesStore(), ts);
                TreeMap<Labels, Double> result = recordedSeries(rule, ruleOutput(RuleStep.evaluate(plan, leaves, ts)));
                if (group.group().limit() > 0 && result.size() > group.group().limit()) {
                    throw new EvalException("exceeded limit of " + group.group().limit() + " with " + result.size() + " series");
                }
                for (Map.Entry<Labels, Double> e : result.entrySet()) {
                    out.add(e.getKey(), ts, e.getValue());
                    current.add(e.getKey());
                }
            } catch (EvalException e) {
                errors.add(new RuleError(group.key(), i, rule.record(), t, e.getMessage()));
                // as in Prometheus's rule group: a failed evaluation writes nothing and keeps the
                // previous output as the reference for staleness
                continue;
            }
            List<Labels> vanished = new ArrayList<>();
            for (Labels l : previous) if (!current.contains(l)) vanished.add(l);
            vanished.sort(null);
            for (Labels l : vanished) out.add(l, ts, StaleMarker.VALUE);
            memory.setLastOutput(i, current);
        }
        return new Result(out, errors);
    }

    /** A rule's query result as a vector: a scalar becomes one sample without labels, as in Prometheus. */
    static List<EvalResult.Sample> ruleOutput(EvalResult result) throws EvalException {
        return switch (result.type()) {
            case VECTOR -> result.vector();
            case SCALAR -> List.of(new EvalResult.Sample(Labels.EMPTY, result.scalar()));
            default -> throw new EvalException("rule result is a " + result.type().name().toLowerCase() + ", not a vector or scalar");
        };
    }

    /** Applies the record name and rule labels; two result series with equal labels are an error. */
    static TreeMap<Labels, Double> recordedSeries(Rule rule, List<EvalResult.Sample> vector) throws EvalException {
        TreeMap<Labels, Double> byLabels = new TreeMap<>();
        for (EvalResult.Sample sample : vector) {
            Labels.Builder b = sample.labels().toBuilder().set(Labels.METRIC_NAME, rule.record());
            if (rule.labels() != null) for (Map.Entry<String, String> l : rule.labels().entrySet()) b.set(l.getKey(), l.getValue());
            Labels labels = b.build();
            if (byLabels.put(labels, sample.value()) != null) {
                throw new EvalException("vector contains metrics with the same labelset after applying rule labels");
            }
        }
        return byLabels;
    }
}
