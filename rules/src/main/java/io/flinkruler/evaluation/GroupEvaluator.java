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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The per-rule step of a whole group, with the semantics of Prometheus's rule manager
 * ({@code rules/group.go}, {@code rules/recording.go}):
 * <ul>
 *   <li>rules are evaluated in order at the same query timestamp, the evaluation timestamp minus the
 *       group's {@code query_offset}; recorded samples and staleness markers are stamped with that
 *       query timestamp;</li>
 *   <li>a later rule sees the output of earlier rules at the same timestamp and their history, as
 *       Prometheus's rules read what earlier rules appended to the TSDB: the group keeps its own
 *       recorded series (those of record names some selector of the group can match, within the
 *       group's retention) in {@link GroupMemory#recorded()}, and each rule's leaves are evaluated over
 *       them too and merged with the shards' leaves. An input series with the same labels as a recorded
 *       series is then seen twice (Prometheus would see one series with both sources' samples);</li>
 *   <li>{@code record} name and rule labels are applied to each result series; two series with equal
 *       labels afterwards, or more series than the group's {@code limit}, discard the whole result of
 *       that rule with an error;</li>
 *   <li>a failed rule writes nothing and keeps its previous output as the reference for staleness (so no
 *       staleness markers at a failed evaluation), as Prometheus does;</li>
 *   <li>a series a rule produced at its last successful evaluation but not now gets a staleness marker;</li>
 *   <li>a series written twice at one timestamp (two rules with the same record name and labels) keeps
 *       the first write, as the TSDB rejects the second unless its value is identical; a staleness
 *       marker for a series another rule wrote at this timestamp is dropped likewise;</li>
 *   <li>when the group changes, rules of the new version take over the last output of the old rule
 *       with the same name and labels ({@link GroupMemory}); series of old rules without a successor are
 *       marked stale at the new version's first evaluation, after its rules ran (Prometheus's
 *       {@code CopyState} and {@code cleanupStaleSeries});</li>
 *   <li>when the group is deleted, {@link #staleMarkersOfDeletedGroup} marks all its last output stale.</li>
 * </ul>
 * Known limitations: a rule cannot read the output of another group (group B's selectors do not see
 * group A's recorded series; in Prometheus they share the TSDB), and a group sees the history of its own
 * series only from the time one of its rules started reading them. Samples of an evaluation whose
 * query timestamp is not after the previous one (query_offset increased) are written anyway, where the
 * TSDB would reject those of existing series as out of order.
 */
public final class GroupEvaluator {
    private GroupEvaluator() {}

    public record Result(RecordedSamples samples, List<RuleError> errors) {}

    /**
     * Evaluates every rule of {@code group} at evaluation timestamp {@code t}, given the merged leaf
     * values of all shards (an entry may be null when no shard had matching series).
     */
    public static Result evaluate(CompiledGroup group, LeafValues[] mergedPerRule, long t, GroupMemory memory) {
        memory.adoptRules(group);
        Output out = new Output(group, memory.recorded(), group.queryTimestamp(t));
        List<RuleError> errors = new ArrayList<>();
        for (int i = 0; i < group.ruleCount(); i++) {
            EvalPlan plan = group.plan(i);
            if (plan == null) continue;
            Rule rule = group.group().rules().get(i);
            TreeMap<Labels, Double> result;
            try {
                LeafValues leaves = withOwnOutput(plan, mergedPerRule[i], memory.recorded(), out.ts);
                result = recordedSeries(rule, ruleOutput(RuleStep.evaluate(plan, leaves, out.ts)));
                if (group.group().limit() > 0 && result.size() > group.group().limit()) {
                    throw new EvalException("exceeded limit of " + group.group().limit() + " with " + result.size() + " series");
                }
            } catch (EvalException e) {
                errors.add(new RuleError(group.key(), i, rule.record(), t, e.getMessage()));
                continue;
            }
            Set<Labels> current = new HashSet<>();
            int rejected = 0;
            for (Map.Entry<Labels, Double> e : result.entrySet()) {
                if (out.write(e.getKey(), e.getValue())) current.add(e.getKey());
                else rejected++;
            }
            if (rejected > 0) {
                errors.add(new RuleError(group.key(), i, rule.record(), t, rejected
                        + " sample(s) dropped: an earlier rule wrote the same series at this timestamp with a different value"));
            }
            List<Labels> vanished = new ArrayList<>();
            for (Labels l : memory.lastOutput(i)) if (!current.contains(l)) vanished.add(l);
            vanished.sort(null);
            for (Labels l : vanished) out.writeStale(l);
            memory.setLastOutput(i, current);
        }
        for (Labels l : memory.orphanedSeries()) out.writeStale(l);
        memory.orphanedSeries().clear();
        memory.setLastEvaluationMs(t);
        // samples at or before ts - retention can matter to no later evaluation
        memory.recorded().evictBefore(out.ts - group.retentionMs() + 1);
        return new Result(out.samples, errors);
    }

    /**
     * Staleness markers for every series the group produced at its last evaluation (and series of removed
     * rules not yet marked), for when the group is deleted: Prometheus marks them stale when it stops a
     * group that is no longer configured. Prometheus stamps them with the wall-clock time of the stop;
     * here rule changes are not part of event time, so they are stamped with the query timestamp of the
     * evaluation that would have come next. Empty if the group was never evaluated.
     */
    public static RecordedSamples staleMarkersOfDeletedGroup(CompiledGroup group, GroupMemory memory) {
        RecordedSamples out = new RecordedSamples();
        if (memory.lastEvaluationMs() == Long.MIN_VALUE) return out;
        long ts = group.queryTimestamp(memory.lastEvaluationMs() + group.intervalMs());
        TreeSet<Labels> series = new TreeSet<>(memory.orphanedSeries());
        for (int i = 0; i < memory.ruleCount(); i++) series.addAll(memory.lastOutput(i));
        for (Labels l : series) out.add(l, ts, StaleMarker.VALUE);
        return out;
    }

    /** The shards' leaf values of a rule plus those of the group's own recorded series. */
    private static LeafValues withOwnOutput(EvalPlan plan, LeafValues fromShards, SeriesStore recorded, long ts) {
        if (recorded.seriesCount() == 0 && fromShards != null) return fromShards;
        LeafValues own = SeriesStep.evaluate(plan, recorded, ts);
        if (fromShards == null) return own;
        fromShards.mergeFrom(own);
        return fromShards;
    }

    /** The samples one evaluation writes, with the TSDB's rule against two samples of a series at one timestamp. */
    private static final class Output {
        final CompiledGroup group;
        final SeriesStore recorded;
        final long ts;
        final RecordedSamples samples = new RecordedSamples();
        /** Raw value bits of each series written at this evaluation. */
        final Map<Labels, Long> written = new HashMap<>();

        Output(CompiledGroup group, SeriesStore recorded, long ts) {
            this.group = group;
            this.recorded = recorded;
            this.ts = ts;
        }

        /** Writes a sample; false when the series already has a different value at this timestamp. */
        boolean write(Labels series, double value) {
            long bits = Double.doubleToRawLongBits(value);
            Long before = written.putIfAbsent(series, bits);
            if (before != null) return before == bits;
            samples.add(series, ts, value);
            if (group.readsOwnRecord(series.metricName())) recorded.append(series, ts, value);
            return true;
        }

        void writeStale(Labels series) {
            if (written.containsKey(series)) return;
            write(series, StaleMarker.VALUE);
        }
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
