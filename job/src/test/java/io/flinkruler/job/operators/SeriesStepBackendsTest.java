package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.GroupEvaluator;
import io.flinkruler.evaluation.GroupMemory;
import io.flinkruler.evaluation.PendingEvaluation;
import io.flinkruler.evaluation.RecordedSamples;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.job.state.ShardClock;
import io.flinkruler.job.state.ShardState;
import io.flinkruler.job.state.ShardStorage;
import io.flinkruler.model.Labels;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-series step keeps shards in place on the heap and as append-only blocks on RocksDB
 * ({@link ShardStorage}): one scenario, with unordered input, out-of-order, duplicate and late samples, a
 * first sample rejected only when appended, shards that start late and shards that end, must give the same
 * partial evaluations and the same recorded samples on both, also across a snapshot taken between batches and
 * restored at the same or a higher parallelism, or into the other backend.
 */
class SeriesStepBackendsTest {
    private static final String TENANT = "t";
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_000_000L / MINUTE * MINUTE;
    private static final EvaluationDefaults DEFAULTS = new EvaluationDefaults(MINUTE, 0, 5 * MINUTE);
    private static final int MAX_PARALLELISM = 128;
    private static final List<String> SHARDS = List.of(key(0), key(1), key(2), key(3), key(4));
    private static final List<RuleGroup> GROUPS = List.of(group("""
            groups:
              - name: every-minute
                interval: 1m
                rules:
                  - record: a
                    expr: m
                  - record: b
                    expr: rate(m[2m])
                  - record: c
                    expr: count(m)
            """), group("""
            groups:
              - name: with-query-offset
                interval: 30s
                query_offset: 30s
                rules:
                  - record: d
                    expr: max_over_time(m[90s])
            """));

    private static String key(int shard) { return ShardBatch.shardKey(TENANT, shard); }

    private static RuleGroup group(String yaml) {
        var result = RuleFileParser.parse(TENANT, "rules.yaml", yaml);
        assertTrue(result.valid(), result.problems().toString());
        return result.groups().get(0);
    }

    private static Labels series(String name) { return Labels.of("__name__", "m", "i", name); }

    /** Samples of one series every 15 s in [fromMs, toMs], valued by their minute and second. */
    private static ShardBatch every15s(String shardKey, String name, long fromMs, long toMs) {
        List<Long> ts = new ArrayList<>();
        for (long t = fromMs; t <= toMs; t += 15_000) ts.add(t);
        return batch(shardKey, name, ts.stream().mapToLong(Long::longValue).toArray());
    }

    private static ShardBatch batch(String shardKey, String name, long... timestampsMs) {
        Labels[] l = new Labels[timestampsMs.length];
        double[] v = new double[timestampsMs.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = series(name);
            v[i] = (timestampsMs[i] - T0) / 1000.0;
        }
        return new ShardBatch(shardKey, TENANT, l, timestampsMs, v);
    }

    /** Up to the snapshot: nothing evaluated yet, then the first evaluations, then batches waiting for the next. */
    private static void beforeSnapshot(Subtasks s) throws Exception {
        s.rules(GROUPS);
        // as from files, series by series: x starts later than y, which comes after it
        s.batch(every15s(key(0), "x", T0 + 5 * MINUTE, T0 + 8 * MINUTE));
        s.batch(every15s(key(0), "y", T0 + 1_000, T0 + 4 * MINUTE));
        s.batch(every15s(key(0), "y", T0 + 4 * MINUTE + 1_000, T0 + 8 * MINUTE));
        // out of order (rejected) and a duplicate timestamp (rejected)
        s.batch(batch(key(1), "z", T0 + 3 * MINUTE));
        s.batch(batch(key(1), "z", T0 + MINUTE));
        s.batch(batch(key(1), "w", T0 + 4 * MINUTE, T0 + 4 * MINUTE, T0 + 4 * MINUTE + 5_000));
        s.watermark(T0 + 4 * MINUTE + 30_000);
        // late (at or before the last query time, 4m) and in time thanks to query_offset: the shard starts after the watermark
        s.batch(batch(key(2), "late", T0 + 2 * MINUTE, T0 + 4 * MINUTE, T0 + 4 * MINUTE + 10_000));
        s.batch(batch(key(3), "all-late", T0 + MINUTE, T0 + 3 * MINUTE));
        // a shard whose only earlier sample is out of order: its first wake-up is at 7m, not 5m
        s.batch(batch(key(4), "v", T0 + 7 * MINUTE));
        s.batch(batch(key(4), "v", T0 + 5 * MINUTE, T0 + 7 * MINUTE + 15_000));
        s.batch(every15s(key(1), "w", T0 + 4 * MINUTE + 15_000, T0 + 5 * MINUTE));
        s.batch(batch(key(1), "z", T0 + 4 * MINUTE + 5_000));
    }

    private static void afterSnapshot(Subtasks s) throws Exception {
        s.batch(every15s(key(1), "w", T0 + 5 * MINUTE + 15_000, T0 + 9 * MINUTE));
        s.batch(every15s(key(0), "x", T0 + 8 * MINUTE + 15_000, T0 + 10 * MINUTE));
        s.watermark(T0 + 6 * MINUTE);
        s.batch(batch(key(4), "v", T0 + 7 * MINUTE + 30_000, T0 + 6 * MINUTE + 45_000, T0 + 9 * MINUTE));
        s.batch(batch(key(1), "z", T0 + 5 * MINUTE + 55_000, T0 + 6 * MINUTE + 10_000));
        s.watermark(T0 + 8 * MINUTE + 30_000);
        s.batch(every15s(key(2), "late", T0 + 8 * MINUTE, T0 + 9 * MINUTE));
        s.watermark(T0 + 30 * MINUTE);
        s.watermark(Long.MAX_VALUE);
    }

    private static Outcome uninterrupted(String backend) throws Exception {
        try (Subtasks s = Subtasks.start(backend, 1, null)) {
            beforeSnapshot(s);
            Map<String, String> shards = s.shards();
            afterSnapshot(s);
            return s.outcome(shards);
        }
    }

    private static Outcome restored(String backend, String restoredBackend, int parallelism) throws Exception {
        OperatorSubtaskState snapshot;
        Map<String, String> shards;
        List<PartialEvaluation> before;
        try (Subtasks s = Subtasks.start(backend, 1, null)) {
            beforeSnapshot(s);
            snapshot = s.snapshot(!backend.equals(restoredBackend));
            before = s.partials;
        }
        try (Subtasks s = Subtasks.start(restoredBackend, parallelism, snapshot)) {
            s.partials.addAll(0, before);
            shards = s.shards();
            afterSnapshot(s);
            return s.outcome(shards);
        }
    }

    @Test
    void heapAndRocksDbGiveTheSameResults() throws Exception {
        Outcome heap = uninterrupted("hashmap");
        Outcome rocksDb = uninterrupted("rocksdb");
        // the scenario does what it says
        assertTrue(heap.recorded.size() > 50, heap.recorded.toString());
        assertFalse(heap.recorded.stream().anyMatch(r -> r.contains("i=\"late\"") && r.endsWith(" 120.0")), "the late sample is dropped");
        assertTrue(heap.recorded.stream().anyMatch(r -> r.contains("i=\"late\"") && r.endsWith(" 250.0")), "a sample within query_offset counts");
        assertFalse(heap.recorded.stream().anyMatch(r -> r.contains("i=\"v\"") && r.endsWith(" 300.0")), "v's out-of-order first sample is dropped");
        assertNull(heap.shardsAtSnapshot.get(key(3)), "a shard with only late samples has no state");
        assertEquals(T0 + MINUTE, firstPartialAt(heap, GROUPS.get(0).key()), "y's first sample wakes its shard");

        assertEquals(heap, rocksDb);
    }

    @ParameterizedTest
    @CsvSource({"hashmap, true", "rocksdb, false"})
    void theHeapKeepsShardsInPlaceOtherBackendsAppendOnly(String backend, boolean inPlace) throws Exception {
        try (Subtasks s = Subtasks.start(backend, 1, null)) {
            s.rules(GROUPS);
            s.batch(batch(key(0), "x", T0 + 1_000));
            KeyedStateBackend<String> keyed = s.owner(key(0)).getOperator().getKeyedStateBackend();
            keyed.setCurrentKey(key(0));
            ShardState shard = keyed.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("shard", ShardState.typeInfo())).value();
            assertEquals(inPlace, shard != null, "one in-place object per shard");
            assertEquals(inPlace, s.rawClock(key(0)) == null, "a clock apart from the samples");
        }
    }

    /**
     * A group interval long against the retention lets more samples wait than the shard's series hold: on RocksDB a
     * batch then merges them into the series (before the timer would), with the same results.
     */
    @Test
    void samplesWaitingLongAreMergedEarlyWithTheSameResults() throws Exception {
        RuleGroup slow = group("""
                groups:
                  - name: every-half-hour
                    interval: 30m
                    rules:
                      - record: e
                        expr: count(m)
                      - record: f
                        expr: max(last_over_time(m[1m]))
                """);
        Map<String, Outcome> outcomes = new TreeMap<>();
        for (String backend : List.of("hashmap", "rocksdb")) {
            try (Subtasks s = Subtasks.start(backend, 1, null)) {
                s.rules(List.of(slow));
                long unmergedMax = 0;
                for (long t = T0 + 1_000; t < T0 + 70 * MINUTE; t += 15_000) {
                    // 1,000 series of one shard, in batches of 500
                    for (int from = 0; from < 1000; from += 500) {
                        Labels[] l = new Labels[500];
                        long[] ts = new long[500];
                        double[] v = new double[500];
                        for (int i = 0; i < 500; i++) {
                            l[i] = series("s" + (from + i));
                            ts[i] = t;
                            v[i] = (t - T0) / 1000.0 + from + i;
                        }
                        s.batch(new ShardBatch(key(0), TENANT, l, ts, v));
                    }
                    s.watermark(t);
                    ShardClock clock = s.rawClock(key(0));
                    if (clock != null) unmergedMax = Math.max(unmergedMax, clock.unmergedSamples);
                }
                s.watermark(Long.MAX_VALUE);
                if (backend.equals("rocksdb")) {
                    // 30 minutes are 120,000 samples, the series hold 5 minutes' (20,000): merged at 65,536 (the minimum)
                    assertTrue(unmergedMax >= 60_000 && unmergedMax < 65_536, "waiting samples at most " + unmergedMax);
                }
                outcomes.put(backend, s.outcome(Map.of(), List.of(slow)));
            }
        }
        assertTrue(outcomes.get("hashmap").recorded.size() >= 4, outcomes.get("hashmap").recorded.toString());
        assertEquals(outcomes.get("hashmap"), outcomes.get("rocksdb"));
    }

    private static long firstPartialAt(Outcome o, String groupKey) {
        return o.partials.stream().filter(p -> p.startsWith(groupKey + " ")).mapToLong(p -> Long.parseLong(p.split(" ")[1])).min().orElseThrow();
    }

    @ParameterizedTest(name = "{0} -> {1} at parallelism {2}")
    @CsvSource({"hashmap, hashmap, 1", "rocksdb, rocksdb, 1", "hashmap, hashmap, 2", "rocksdb, rocksdb, 2", "hashmap, rocksdb, 1", "rocksdb, hashmap, 2"})
    void aSnapshotBetweenBatchesRestoresTheSameResults(String backend, String restoredBackend, int parallelism) throws Exception {
        assertEquals(uninterrupted("hashmap"), restored(backend, restoredBackend, parallelism));
    }

    /** What the scenario produced: partial evaluations (group, timestamp, how many), recorded samples, shard states. */
    private record Outcome(List<String> partials, List<String> recorded, Map<String, String> shardsAtSnapshot) {}

    /** The per-series step on one state backend, as {@code parallelism} subtasks that own their shards' key groups. */
    private static final class Subtasks implements AutoCloseable {
        final List<KeyedBroadcastOperatorTestHarness<String, ShardBatch, RuleGroupChange, PartialEvaluation>> harnesses = new ArrayList<>();
        final List<PartialEvaluation> partials = new ArrayList<>();

        static Subtasks start(String backend, int parallelism, OperatorSubtaskState restoreFrom) throws Exception {
            Subtasks s = new Subtasks();
            for (int i = 0; i < parallelism; i++) {
                var operator = new CoBroadcastWithKeyedOperator<>(new SeriesStepFunction(DEFAULTS), List.of(RuleBroadcast.DESCRIPTOR));
                var h = new KeyedBroadcastOperatorTestHarness<>(operator, ShardBatch::shardKey, Types.STRING, MAX_PARALLELISM, parallelism, i);
                h.setStateBackend(backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
                if (restoreFrom != null) h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(restoreFrom, MAX_PARALLELISM, 1, parallelism, i));
                h.open();
                if (restoreFrom != null) h.processBroadcastWatermark(Long.MAX_VALUE);
                s.harnesses.add(h);
            }
            return s;
        }

        void rules(List<RuleGroup> groups) throws Exception {
            for (var h : harnesses) {
                for (RuleGroup g : groups) h.processBroadcastElement(RuleGroupChange.added(g, 0), 0);
                h.processBroadcastWatermark(Long.MAX_VALUE);
            }
        }

        KeyedBroadcastOperatorTestHarness<String, ShardBatch, RuleGroupChange, PartialEvaluation> owner(String shardKey) {
            return harnesses.get(KeyGroupRangeAssignment.assignKeyToParallelOperator(shardKey, MAX_PARALLELISM, harnesses.size()));
        }

        void batch(ShardBatch b) throws Exception { owner(b.shardKey()).processElement(b, 0); }

        void watermark(long w) throws Exception {
            for (var h : harnesses) {
                h.processWatermark(w);
                for (Object o : h.getOutput()) if (o instanceof StreamRecord<?> r) partials.add((PartialEvaluation) r.getValue());
                h.getOutput().clear();
            }
        }

        /** A checkpoint, or a savepoint in Flink's canonical format (restores into any state backend). */
        OperatorSubtaskState snapshot(boolean savepoint) throws Exception {
            if (!savepoint) return harnesses.get(0).snapshot(1, 0);
            return harnesses.get(0).snapshotWithLocalState(1, 0, SavepointType.savepoint(SavepointFormatType.CANONICAL)).getJobManagerOwnedState();
        }

        /** Each shard as its next evaluation would see it (series, samples, last evaluation). */
        Map<String, String> shards() throws Exception {
            Map<String, String> out = new TreeMap<>();
            for (String k : SHARDS) {
                ShardState s = ShardStorage.inspect(owner(k).getOperator().getKeyedStateBackend(), k);
                if (s != null) out.put(k, s.store.seriesCount() + " series, " + s.store.sampleCount() + " samples, evaluated " + s.clock.lastEvaluatedMs);
            }
            return out;
        }

        Outcome outcome(Map<String, String> shardsAtSnapshot) throws Exception { return outcome(shardsAtSnapshot, GROUPS); }

        /** The clock as stored (on RocksDB, without merging waiting samples), or null. */
        ShardClock rawClock(String shardKey) throws Exception {
            KeyedStateBackend<String> backend = owner(shardKey).getOperator().getKeyedStateBackend();
            backend.setCurrentKey(shardKey);
            return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("shard-clock", ShardClock.typeInfo())).value();
        }

        Outcome outcome(Map<String, String> shardsAtSnapshot, List<RuleGroup> groups) throws Exception {
            for (String k : SHARDS) assertNull(ShardStorage.inspect(owner(k).getOperator().getKeyedStateBackend(), k), "all samples aged out: " + k);
            for (var h : harnesses) assertEquals(0, h.numEventTimeTimers(), "no timer is left behind");
            TreeMap<String, Integer> partialCounts = new TreeMap<>();
            // per group and timestamp, what the per-rule step merges, in timestamp order
            Map<String, TreeMap<Long, List<PartialEvaluation>>> byGroup = new HashMap<>();
            for (PartialEvaluation p : partials) {
                partialCounts.merge(p.groupKey() + " " + p.evalTimestampMs(), 1, Integer::sum);
                byGroup.computeIfAbsent(p.groupKey(), g -> new TreeMap<>()).computeIfAbsent(p.evalTimestampMs(), t -> new ArrayList<>()).add(p);
            }
            List<String> recorded = new ArrayList<>();
            for (RuleGroup g : groups) {
                CompiledGroup compiled = CompiledGroup.compile(g, DEFAULTS);
                GroupMemory memory = new GroupMemory();
                for (var e : byGroup.getOrDefault(compiled.key(), new TreeMap<>()).entrySet()) {
                    PendingEvaluation pending = new PendingEvaluation(compiled.version(), compiled.ruleCount());
                    for (PartialEvaluation p : e.getValue()) pending.add(p.groupVersion(), p.leafValuesPerRule());
                    RecordedSamples samples = GroupEvaluator.evaluate(compiled, pending.mergedFor(compiled), e.getKey(), memory).samples();
                    for (int i = 0; i < samples.size(); i++) {
                        recorded.add(samples.series(i) + " " + (samples.timestampMs(i) - T0) / 1000 + " " + samples.value(i));
                    }
                }
            }
            recorded.sort(null);
            List<String> partialList = new ArrayList<>();
            partialCounts.forEach((k, n) -> partialList.add(k + " x" + n));
            return new Outcome(partialList, recorded, shardsAtSnapshot);
        }

        @Override
        public void close() throws Exception {
            for (var h : harnesses) h.close();
        }
    }
}
