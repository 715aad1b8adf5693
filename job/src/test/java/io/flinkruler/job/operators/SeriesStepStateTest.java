package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.job.state.ShardState;
import io.flinkruler.job.state.ShardStorage;
import io.flinkruler.model.Labels;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-series step's keyed state, in the real operator (Flink's test harness) on the heap and on RocksDB: it
 * holds only the samples the rules still need (longest range + offset, or the lookback delta, plus query_offset),
 * drops series that stopped, and clears the shard's state and timers once nothing is left.
 */
class SeriesStepStateTest {
    private static final String TENANT = "t";
    private static final String KEY = ShardBatch.shardKey(TENANT, 0);
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_000_000L / MINUTE * MINUTE;
    private static final EvaluationDefaults DEFAULTS = new EvaluationDefaults(MINUTE, 0, 5 * MINUTE);

    private static KeyedBroadcastOperatorTestHarness<String, ShardBatch, RuleGroupChange, PartialEvaluation> harness(String backend) throws Exception {
        var operator = new CoBroadcastWithKeyedOperator<>(new SeriesStepFunction(DEFAULTS), List.of(RuleBroadcast.DESCRIPTOR));
        var h = new KeyedBroadcastOperatorTestHarness<>(operator, ShardBatch::shardKey, Types.STRING, 1, 1, 0);
        StateBackend stateBackend = backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        h.setStateBackend(stateBackend);
        h.open();
        return h;
    }

    private static RuleGroup group(String yaml) {
        var result = RuleFileParser.parse(TENANT, "rules.yaml", yaml);
        assertTrue(result.valid(), result.problems().toString());
        return result.groups().get(0);
    }

    private static ShardState shardState(KeyedBroadcastOperatorTestHarness<String, ShardBatch, RuleGroupChange, PartialEvaluation> h) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        return ShardStorage.inspect(backend, KEY);
    }

    /** One minute of samples, every 15 s, of the given series (all in the one shard). */
    private static ShardBatch minute(long minuteStart, Labels... series) {
        List<Labels> l = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            for (Labels s : series) {
                l.add(s);
                ts.add(minuteStart + 1_000 + k * 15_000);
            }
        }
        long[] t = ts.stream().mapToLong(Long::longValue).toArray();
        double[] v = new double[t.length];
        for (int i = 0; i < v.length; i++) v[i] = t[i] / 1000.0;
        return new ShardBatch(KEY, TENANT, l.toArray(new Labels[0]), t, v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void keepsTheLongestRangePlusOffsetAndDropsVanishedSeries(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.processBroadcastElement(RuleGroupChange.added(group("""
                    groups:
                      - name: g
                        interval: 1m
                        query_offset: 1m
                        rules:
                          - record: a
                            expr: rate(m[5m])
                          - record: b
                            expr: max_over_time(m[3m] offset 4m)
                    """), 0), 0);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Labels steady = Labels.of("__name__", "m", "i", "steady");
            Labels stops = Labels.of("__name__", "m", "i", "stops");
            for (int m = 0; m < 30; m++) {
                h.processElement(m < 10 ? minute(T0 + m * MINUTE, steady, stops) : minute(T0 + m * MINUTE, steady), T0 + m * MINUTE);
                h.processWatermark(T0 + (m + 1) * MINUTE);
            }
            // evaluated at T0+30m (watermark); retention = max(5m, 3m + 4m) + 1m query_offset = 8m: samples after T0+22m stay
            ShardState s = shardState(h);
            assertNotNull(s);
            assertEquals(1, s.store.seriesCount(), "the series that stopped at T0+10m is gone");
            assertEquals(8 * 4, s.store.sampleCount(), "8 minutes of one series");
            assertEquals(T0 + 30 * MINUTE, s.clock.lastEvaluatedMs);
            assertEquals(1, h.numEventTimeTimers(), "one timer per shard");

            TreeSet<Long> evaluated = new TreeSet<>();
            for (PartialEvaluation p : h.extractOutputValues()) evaluated.add(p.evalTimestampMs());
            assertEquals(30, evaluated.size(), "one partial per evaluation timestamp: " + evaluated);

            // no more samples: 8 minutes later the last one has aged out, state and timers are gone
            h.processWatermark(T0 + 38 * MINUTE);
            assertNull(shardState(h), "the shard's state is cleared");
            assertEquals(0, h.numEventTimeTimers(), "no timer is left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void storesOnlySeriesSomeRuleCanRead(String backend) throws Exception {
        String rules = """
                groups:
                  - name: g
                    interval: 1m
                    rules:
                      - record: a
                        expr: rate(m{i!="x"}[5m])
                      - record: b
                        expr: sum(n)
                """;
        try (var h = harness(backend)) {
            h.processBroadcastElement(RuleGroupChange.added(group(rules), 0), 0);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Labels read = Labels.of("__name__", "m", "i", "a");
            Labels excluded = Labels.of("__name__", "m", "i", "x");
            Labels summed = Labels.of("__name__", "n", "i", "a");
            Labels other = Labels.of("__name__", "o", "i", "a");
            // before the first watermark this operator cannot know that the rules have all arrived: all is kept
            h.processElement(minute(T0, read, excluded, summed, other), T0);
            h.processWatermark(T0 + MINUTE);
            assertEquals(2, shardState(h).store.seriesCount(), "the first evaluation drops what no rule reads");

            h.processElement(minute(T0 + MINUTE, read, excluded, summed, other), T0 + MINUTE);
            h.processWatermark(T0 + 2 * MINUTE);
            assertEquals(2, shardState(h).store.seriesCount());
            assertEquals(2 * 8, shardState(h).store.sampleCount(), "two minutes of the two series the rules read");

            // a changed rule that reads o: o is stored from the change on
            h.processBroadcastElement(RuleGroupChange.changed(group(rules.replace("sum(n)", "sum(n) + sum(o)")), T0 + 2 * MINUTE), T0 + 2 * MINUTE);
            h.processElement(minute(T0 + 2 * MINUTE, read, excluded, summed, other), T0 + 2 * MINUTE);
            h.processWatermark(T0 + 3 * MINUTE);
            assertEquals(3, shardState(h).store.seriesCount());
            assertEquals(-1, shardState(h).store.existingId(excluded), "m{i=\"x\"} is never read");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void unorderedInputMovesTheWakeUpToItsEarliestSample(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.processBroadcastElement(RuleGroupChange.added(group("""
                    groups:
                      - name: g
                        interval: 1m
                        rules:
                          - record: a
                            expr: m
                    """), 0), 0);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Labels late = Labels.of("__name__", "m", "i", "late-start");
            Labels early = Labels.of("__name__", "m", "i", "early");
            // as from a file read series by series: a series starting at T0+10m arrives before one starting at T0
            for (int m = 10; m < 20; m++) h.processElement(minute(T0 + m * MINUTE, late), 0);
            for (int m = 0; m < 20; m++) h.processElement(minute(T0 + m * MINUTE, early), 0);
            h.processWatermark(Long.MAX_VALUE);
            TreeSet<Long> evaluated = new TreeSet<>();
            for (PartialEvaluation p : h.extractOutputValues()) evaluated.add(p.evalTimestampMs());
            assertEquals(T0 + MINUTE, evaluated.first(), "the first evaluation after the earliest sample (T0+1s)");
        }
    }
}
