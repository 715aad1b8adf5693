package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.ShardEvaluation;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The per-rule step as an operator: evaluation at the watermark, and staleness when its group goes away. Rule changes
 * apply from the first evaluation timestamp after their {@code seenAtMs} (see RuleChangeSemanticsTest).
 */
class RuleStepFunctionTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, MINUTE);
    private static final RemoteWriteConfig TARGET = RemoteWriteConfig.ofUrl("http://127.0.0.1:1/api/v1/write");

    private static RuleGroup group(Rule... rules) {
        return new RuleGroup("t1", "ns", "g", MINUTE, -1, 0, List.of(rules), List.of(), "t1/ns.yaml", Map.of());
    }

    private static PartialEvaluation partial(RuleGroup g, long t, Labels... series) {
        CompiledGroup c = CompiledGroup.compile(g, EvaluationDefaults.prometheus());
        SeriesStore shard = new SeriesStore();
        for (Labels l : series) shard.append(l, t - 10_000, 1);
        return new PartialEvaluation(g.key(), c.version(), t, ShardEvaluation.evaluate(c, shard, t));
    }

    private static KeyedBroadcastOperatorTestHarness<String, PartialEvaluation, RuleGroupChange, WriteBatch> harness() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RuleStepFunction(EvaluationDefaults.prometheus(), TARGET), PartialEvaluation::groupKey, Types.STRING,
                RuleBroadcast.DESCRIPTOR);
        // rule changes are not event-time data: their input never holds the watermark back
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }

    private static List<String> lines(List<WriteBatch> batches) {
        List<String> out = new ArrayList<>();
        for (WriteBatch b : batches) {
            for (int i = 0; i < b.size(); i++) {
                out.add(b.series(i) + " " + (StaleMarker.is(b.value(i)) ? "stale" : String.valueOf(b.value(i))) + " @" + (b.timestampMs(i) - T0));
            }
        }
        return out;
    }

    @Test
    void groupsOwnRemoteWriteIsHonouredUnlessRemoteWriteGroupsAreDisabled() throws Exception {
        RemoteWriteConfig own = RemoteWriteConfig.ofUrl("http://127.0.0.1:2/own/write");
        RuleGroup g = new RuleGroup("t1", "ns", "g", MINUTE, -1, 0, List.of(Rule.recording("up:copy", "up", Map.of())),
                List.of(own), "t1/ns.yaml", Map.of());
        Labels a = Labels.of("__name__", "up", "instance", "a");
        for (boolean enabled : new boolean[] {true, false}) {
            try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                    new RuleStepFunction(EvaluationDefaults.prometheus(), new ResultRouting(TARGET, enabled, false)), PartialEvaluation::groupKey, Types.STRING,
                    RuleBroadcast.DESCRIPTOR)) {
                h.processBroadcastWatermark(Long.MAX_VALUE);
                h.processBroadcastElement(RuleGroupChange.added(g, 0), 0);
                h.processElement(partial(g, T0, a), T0);
                h.processWatermark(T0);
                List<WriteBatch> out = h.extractOutputValues();
                assertEquals(1, out.size());
                assertEquals(enabled ? List.of(own) : List.of(TARGET.withHeader("X-Scope-OrgID", "t1")), out.get(0).targets());
            }
        }
    }

    @Test
    void deletingAGroupMarksItsLastOutputStale() throws Exception {
        RuleGroup g = group(Rule.recording("up:copy", "up", Map.of()));
        Labels a = Labels.of("__name__", "up", "instance", "a");
        Labels b = Labels.of("__name__", "up", "instance", "b");
        try (var h = harness()) {
            h.processBroadcastElement(RuleGroupChange.added(g, 0), 0);
            h.processElement(partial(g, T0, a, b), T0);
            h.processWatermark(T0);
            assertEquals(List.of("up:copy{instance=\"a\"} 1.0 @0", "up:copy{instance=\"b\"} 1.0 @0"), lines(h.extractOutputValues()));
            h.getOutput().clear();

            // seen 30 s after the evaluation, the deletion applies from the next evaluation timestamp: the
            // evaluation pending there is dropped, and the last output is marked stale at that timestamp
            h.processElement(partial(g, T0 + MINUTE, a), T0 + MINUTE);
            h.processBroadcastElement(RuleGroupChange.deleted(g.key(), T0 + 30_000), T0 + MINUTE);
            assertEquals(List.of(), lines(h.extractOutputValues()), "not before its timestamp");
            h.processWatermark(T0 + 2 * MINUTE);
            assertEquals(List.of("up:copy{instance=\"a\"} stale @60000", "up:copy{instance=\"b\"} stale @60000"),
                    lines(h.extractOutputValues()));
            h.getOutput().clear();

            // added again, the group starts afresh: no memory of instance b
            h.processBroadcastElement(RuleGroupChange.added(g, T0 + 2 * MINUTE + 30_000), T0 + 2 * MINUTE);
            h.processElement(partial(g, T0 + 3 * MINUTE, a), T0 + 3 * MINUTE);
            h.processWatermark(T0 + 3 * MINUTE);
            assertEquals(List.of("up:copy{instance=\"a\"} 1.0 @180000"), lines(h.extractOutputValues()));
        }
    }

    @Test
    void theGroupsMemorySurvivesACheckpointAndRestore() throws Exception {
        RuleGroup g = group(Rule.recording("up:copy", "up", Map.of()), Rule.recording("up:copy:max", "max_over_time(up:copy[5m])", Map.of()));
        Labels a = Labels.of("__name__", "up", "instance", "a");
        Labels b = Labels.of("__name__", "up", "instance", "b");
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processBroadcastElement(RuleGroupChange.added(g, 0), 0);
            h.processElement(partial(g, T0, a, b), T0);
            h.processWatermark(T0);
            h.processElement(partial(g, T0 + MINUTE, a), T0 + MINUTE); // pending at the checkpoint
            snapshot = h.snapshot(1, 0);
        }
        var restored = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new RuleStepFunction(EvaluationDefaults.prometheus(), TARGET), List.of(RuleBroadcast.DESCRIPTOR)),
                PartialEvaluation::groupKey, Types.STRING, 1, 1, 0);
        try (restored) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.processBroadcastWatermark(Long.MAX_VALUE);
            restored.processWatermark(T0 + MINUTE);
            // b vanished: marked stale; the recorded history of up:copy came through the checkpoint
            assertEquals(List.of("up:copy{instance=\"a\"} 1.0 @60000", "up:copy{instance=\"b\"} stale @60000",
                    "up:copy:max{instance=\"a\"} 1.0 @60000", "up:copy:max{instance=\"b\"} 1.0 @60000"),
                    lines(restored.extractOutputValues()));
        }
    }

    @Test
    void anEvaluationWhosePartialsCameFromAnOlderGroupVersionIsSkipped() throws Exception {
        RuleGroup v1 = group(Rule.recording("up:copy", "up", Map.of()));
        RuleGroup v2 = group(Rule.recording("up:copy", "up", Map.of()), Rule.recording("up:count", "count(up)", Map.of()));
        Labels a = Labels.of("__name__", "up", "instance", "a");
        try (var h = harness()) {
            h.processBroadcastElement(RuleGroupChange.added(v1, 0), 0);
            h.processElement(partial(v1, T0, a), T0);
            h.processBroadcastElement(RuleGroupChange.changed(v2, 0), T0);
            h.processWatermark(T0);
            assertEquals(List.of(), lines(h.extractOutputValues()));
            h.processElement(partial(v2, T0 + MINUTE, a), T0 + MINUTE);
            h.processWatermark(T0 + MINUTE);
            assertEquals(List.of("up:copy{instance=\"a\"} 1.0 @60000", "up:count{} 1.0 @60000"), lines(h.extractOutputValues()));
        }
    }
}
