package io.flinkruler.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-rule step of a group, driven the way the operators drive it: shards, partials, merge. */
class GroupEvaluatorTest {
    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, 60_000);

    private static RuleGroup group(int limit, Rule... rules) {
        return new RuleGroup("t1", "ns", "g", 60_000, -1, limit, List.of(rules), List.of(), "t1/ns.yaml", Map.of());
    }

    /** Splits the series of {@code store} over two shards, evaluates each, ships and merges, as the job does. */
    private static GroupEvaluator.Result evaluate(CompiledGroup g, List<Labels> series, List<double[]> valuesByStep, long t,
                                                  GroupMemory memory) {
        SeriesStore[] shards = {new SeriesStore(), new SeriesStore()};
        for (int s = 0; s < series.size(); s++) {
            double[] v = valuesByStep.get(s);
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) shards[s % 2].append(series.get(s), t - (v.length - i) * 15_000 + 7_000, v[i]);
            }
        }
        LeafValues[] merged = new LeafValues[g.ruleCount()];
        for (SeriesStore shard : shards) {
            byte[][] partial = ShardEvaluation.evaluate(g, shard, t);
            for (int r = 0; r < partial.length; r++) merged[r] = ShardEvaluation.mergeSerialized(merged[r], partial[r]);
        }
        return GroupEvaluator.evaluate(g, merged, t, memory);
    }

    private static List<String> lines(RecordedSamples s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.series(i) + " " + (StaleMarker.is(s.value(i)) ? "stale" : String.valueOf(s.value(i))) + " @" + (s.timestampMs(i) - T0));
        }
        return out;
    }

    @Test
    void appliesRecordNameAndRuleLabelsAcrossShards() {
        CompiledGroup g = CompiledGroup.compile(group(0,
                Rule.recording("job:up:sum", "sum by (job) (up)", Map.of("team", "infra")),
                Rule.recording("up:scaled", "up * 2", Map.of())), EvaluationDefaults.prometheus());
        List<Labels> series = List.of(Labels.of("__name__", "up", "job", "a", "instance", "1"),
                Labels.of("__name__", "up", "job", "a", "instance", "2"),
                Labels.of("__name__", "up", "job", "b", "instance", "3"));
        GroupEvaluator.Result r = evaluate(g, series, List.of(new double[] {1}, new double[] {1}, new double[] {0}), T0, new GroupMemory());
        assertEquals(List.of(
                "job:up:sum{job=\"a\", team=\"infra\"} 2.0 @0",
                "job:up:sum{job=\"b\", team=\"infra\"} 0.0 @0",
                "up:scaled{instance=\"1\", job=\"a\"} 2.0 @0",
                "up:scaled{instance=\"2\", job=\"a\"} 2.0 @0",
                "up:scaled{instance=\"3\", job=\"b\"} 0.0 @0"), lines(r.samples()));
        assertTrue(r.errors().isEmpty());
    }

    @Test
    void vanishedSeriesGetStalenessMarkersAtTheNextEvaluation() {
        CompiledGroup g = CompiledGroup.compile(group(0, Rule.recording("up:copy", "up", Map.of())), EvaluationDefaults.prometheus());
        Labels a = Labels.of("__name__", "up", "instance", "a");
        Labels b = Labels.of("__name__", "up", "instance", "b");
        GroupMemory memory = new GroupMemory();
        evaluate(g, List.of(a, b), List.of(new double[] {1}, new double[] {1}), T0, memory);
        // b's last sample is now more than the 5m lookback ago: only a remains
        GroupEvaluator.Result r = evaluate(g, List.of(a), List.of(new double[] {1}), T0 + 360_000, memory);
        assertEquals(List.of("up:copy{instance=\"a\"} 1.0 @360000", "up:copy{instance=\"b\"} stale @360000"), lines(r.samples()));
    }

    @Test
    void duplicateSeriesAfterLabellingIsAnErrorOfThatRuleOnly() {
        CompiledGroup g = CompiledGroup.compile(group(0,
                Rule.recording("dup", "up", Map.of("instance", "same")),
                Rule.recording("ok", "count(up)", Map.of())), EvaluationDefaults.prometheus());
        List<Labels> series = List.of(Labels.of("__name__", "up", "instance", "1"), Labels.of("__name__", "up", "instance", "2"));
        GroupEvaluator.Result r = evaluate(g, series, List.of(new double[] {1}, new double[] {1}), T0, new GroupMemory());
        assertEquals(List.of("ok{} 2.0 @0"), lines(r.samples()));
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("same labelset"), r.errors().get(0).message());
    }

    @Test
    void resultsOverTheGroupLimitAreDiscardedWithAnError() {
        CompiledGroup g = CompiledGroup.compile(group(1, Rule.recording("copy", "up", Map.of())), EvaluationDefaults.prometheus());
        List<Labels> series = List.of(Labels.of("__name__", "up", "instance", "1"), Labels.of("__name__", "up", "instance", "2"));
        GroupEvaluator.Result r = evaluate(g, series, List.of(new double[] {1}, new double[] {1}), T0, new GroupMemory());
        assertEquals(0, r.samples().size());
        assertEquals("exceeded limit of 1 with 2 series", r.errors().get(0).message());
    }

    @Test
    void scalarResultIsOneSeriesWithOnlyTheRecordName() {
        CompiledGroup g = CompiledGroup.compile(group(0, Rule.recording("answer", "6 * 7", Map.of())), EvaluationDefaults.prometheus());
        GroupEvaluator.Result r = evaluate(g, List.of(), List.of(), T0, new GroupMemory());
        assertEquals(List.of("answer{} 42.0 @0"), lines(r.samples()));
    }

    @Test
    void queryOffsetDefaultsToTheConfiguredOneAndTheGroupsOwnWins() {
        EvaluationDefaults defaults = new EvaluationDefaults(60_000, 30_000, 300_000);
        RuleGroup own = new RuleGroup("t1", "ns", "g", 0, 0, 0, List.of(Rule.recording("c", "1", Map.of())), List.of(), "f", Map.of());
        assertEquals(0, CompiledGroup.compile(own, defaults).queryOffsetMs());
        assertEquals(30_000, CompiledGroup.compile(group(0, Rule.recording("c", "1", Map.of())), defaults).queryOffsetMs());
    }

    @Test
    void queryOffsetShiftsTheQueryTimestamp() {
        RuleGroup rg = new RuleGroup("t1", "ns", "g", 60_000, 60_000, 0, List.of(Rule.recording("c", "count(up)", Map.of())),
                List.of(), "f", Map.of());
        CompiledGroup g = CompiledGroup.compile(rg, EvaluationDefaults.prometheus());
        assertEquals(T0 - 60_000, g.queryTimestamp(T0));
        assertTrue(g.evaluatesAt(T0));
        assertEquals(T0 + 60_000, g.nextEvaluationAtOrAfter(T0 + 1));
    }
}
