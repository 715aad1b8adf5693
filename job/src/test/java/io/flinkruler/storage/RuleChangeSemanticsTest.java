package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.job.operators.RuleBroadcast;
import io.flinkruler.job.operators.RuleStepFunction;
import io.flinkruler.job.operators.SeriesStepFunction;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RuleFileParseResult;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When rule changes take effect, through the real per-series and per-rule operators: two per-series subtasks
 * (one shard each, with their own copy of the broadcast rules, as in a job with parallelism 2) and one per-rule
 * subtask, driven in lockstep by watermarks. A change applies from the first evaluation timestamp of its group
 * after the scan that saw it ({@code seenAtMs}); the first load applies from the beginning.
 */
class RuleChangeSemanticsTest {
    private static final String TENANT = "t";
    private static final long S = 1000;
    private static final EvaluationDefaults DEFAULTS = new EvaluationDefaults(10 * S, 0, 300 * S);

    private final List<KeyedBroadcastOperatorTestHarness<String, ShardBatch, RuleGroupChange, PartialEvaluation>> seriesSteps = new ArrayList<>();
    private KeyedBroadcastOperatorTestHarness<String, PartialEvaluation, RuleGroupChange, WriteBatch> ruleStep;
    /** series -> timestamp -> value, everything the per-rule step sent on. */
    private final Map<String, TreeMap<Long, Double>> recorded = new TreeMap<>();
    private int partialsSeen;
    private int batchesSeen;

    @BeforeEach
    void operators() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new SeriesStepFunction(DEFAULTS),
                    ShardBatch::shardKey, Types.STRING, RuleBroadcast.DESCRIPTOR);
            h.processBroadcastWatermark(Long.MAX_VALUE); // what the rule source does once rules are loaded
            seriesSteps.add(h);
        }
        ruleStep = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RuleStepFunction(DEFAULTS, RemoteWriteConfig.ofUrl("http://127.0.0.1:1/api/v1/write")),
                PartialEvaluation::groupKey, Types.STRING, RuleBroadcast.DESCRIPTOR);
        ruleStep.processBroadcastWatermark(Long.MAX_VALUE);
    }

    @AfterEach
    void close() throws Exception {
        for (var h : seriesSteps) h.close();
        ruleStep.close();
    }

    private static RuleGroup group(String file, String name, String expr) {
        RuleFileParseResult r = RuleFileParser.parse(TENANT, file, """
                groups:
                  - name: %s
                    interval: 10s
                    rules:
                      - record: %s
                        expr: '%s'
                """.formatted(name, name + ":out", expr));
        assertTrue(r.valid(), r.problems().toString());
        return r.groups().get(0);
    }

    /** Both shards get a sample of `up` every 5 s, 1 ms after each multiple of 5 s, from 0 to 120 s. */
    private void samples() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            int n = 25;
            Labels[] series = new Labels[n];
            long[] ts = new long[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                series[i] = Labels.of("__name__", "up", "instance", "i" + shard);
                ts[i] = i * 5 * S + 1;
                values[i] = 1;
            }
            seriesSteps.get(shard).processElement(new ShardBatch(ShardBatch.shardKey(TENANT, shard), TENANT, series, ts, values), 1);
        }
    }

    private void change(int shard, RuleGroupChange change) throws Exception {
        seriesSteps.get(shard).processBroadcastElement(change, 0);
    }

    private void changeEverywhere(RuleGroupChange change) throws Exception {
        for (int shard = 0; shard < seriesSteps.size(); shard++) change(shard, change);
        ruleStep.processBroadcastElement(change, 0);
    }

    /** Moves event time of the whole pipeline to {@code t}, passing what the per-series steps emit on. */
    private void advanceTo(long t) throws Exception {
        for (var h : seriesSteps) h.processWatermark(t);
        for (var h : seriesSteps) {
            List<PartialEvaluation> out = h.extractOutputValues();
            for (PartialEvaluation p : out.subList(partialsSeen(h), out.size())) ruleStep.processElement(p, p.evalTimestampMs());
            seen.put(h, out.size());
        }
        ruleStep.processWatermark(t);
        List<WriteBatch> batches = ruleStep.extractOutputValues();
        for (WriteBatch b : batches.subList(batchesSeen, batches.size())) {
            for (int i = 0; i < b.size(); i++) {
                recorded.computeIfAbsent(b.series(i).toString(), k -> new TreeMap<>()).put(b.timestampMs(i), b.value(i));
            }
        }
        batchesSeen = batches.size();
    }

    private final Map<Object, Integer> seen = new java.util.IdentityHashMap<>();

    private int partialsSeen(Object harness) { return seen.getOrDefault(harness, 0); }

    private TreeMap<Long, Double> series(String name) {
        return recorded.getOrDefault(name + "{}", new TreeMap<>());
    }

    private static TreeMap<Long, Double> values(long[] timestamps, double value) {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (long t : timestamps) m.put(t, value);
        return m;
    }

    @Test
    void addedChangedAndDeletedGroupsSwitchAtOneEvaluationTimestamp() throws Exception {
        RuleGroup v1 = group("a.yaml", "g", "sum(up)");
        RuleGroup v2 = group("a.yaml", "g", "sum(up) * 2");
        changeEverywhere(RuleGroupChange.added(v1, Long.MIN_VALUE)); // the first load: from the beginning
        samples();
        advanceTo(35 * S);
        changeEverywhere(RuleGroupChange.changed(v2, 32 * S));       // seen at 32 s: applies from 40 s
        advanceTo(45 * S);
        changeEverywhere(RuleGroupChange.added(group("b.yaml", "h", "count(up)"), 45 * S)); // from 50 s
        advanceTo(72 * S);
        changeEverywhere(RuleGroupChange.deleted(v1.key(), 71 * S)); // from 80 s
        advanceTo(125 * S);

        TreeMap<Long, Double> expectedG = values(new long[] {10 * S, 20 * S, 30 * S}, 2);
        expectedG.putAll(values(new long[] {40 * S, 50 * S, 60 * S, 70 * S}, 4));
        TreeMap<Long, Double> g = series("g:out");
        assertTrue(StaleMarker.is(g.remove(80 * S)), "a deleted group's series are marked stale at its deletion: " + g);
        assertEquals(expectedG, g);
        assertEquals(values(new long[] {50 * S, 60 * S, 70 * S, 80 * S, 90 * S, 100 * S, 110 * S, 120 * S}, 2), series("h:out"),
                "a new group starts at its first evaluation timestamp after the scan that saw it");
    }

    @Test
    void aShardThatLearnsOfAChangeTooLateMakesThatEvaluationSkipNeverMix() throws Exception {
        RuleGroup v1 = group("a.yaml", "g", "sum(up)");
        RuleGroup v2 = group("a.yaml", "g", "sum(up) * 2");
        changeEverywhere(RuleGroupChange.added(v1, Long.MIN_VALUE));
        samples();
        advanceTo(35 * S);
        RuleGroupChange changed = RuleGroupChange.changed(v2, 32 * S); // from 40 s
        change(0, changed);
        ruleStep.processBroadcastElement(changed, 0);
        advanceTo(45 * S);      // shard 1 evaluates 40 s with v1 and shard 0 with v2
        change(1, changed);
        advanceTo(65 * S);
        TreeMap<Long, Double> expected = values(new long[] {10 * S, 20 * S, 30 * S}, 2);
        expected.putAll(values(new long[] {50 * S, 60 * S}, 4));
        assertEquals(expected, series("g:out"), "40 s is skipped: half of it was computed from the old rules");
    }

    @Test
    void aChangeSeenBeforeTheSamplesArriveStillWaitsForItsTimestamp() throws Exception {
        // Seen at 12 s of wall clock while event time is still at 0: the new version is planned for 20 s.
        RuleGroup v1 = group("a.yaml", "g", "sum(up)");
        changeEverywhere(RuleGroupChange.added(v1, Long.MIN_VALUE));
        changeEverywhere(RuleGroupChange.changed(group("a.yaml", "g", "sum(up) * 10"), 12 * S));
        samples();
        advanceTo(35 * S);
        TreeMap<Long, Double> expected = values(new long[] {10 * S}, 2);
        expected.putAll(values(new long[] {20 * S, 30 * S}, 20));
        assertEquals(expected, series("g:out"));
    }
}
