package io.flinkruler.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rule-group semantics of Prometheus's rule manager across evaluations: rules reading earlier rules'
 * output, query_offset, failed rules, group changes and deletion. Driven like the job drives them:
 * input split over two shards, partials serialized and merged, then the per-rule step.
 */
class GroupSemanticsTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, MINUTE);
    private static final Labels UP_A = Labels.of("__name__", "up", "job", "a", "instance", "1");
    private static final Labels UP_A2 = Labels.of("__name__", "up", "job", "a", "instance", "2");
    private static final Labels UP_B = Labels.of("__name__", "up", "job", "b", "instance", "3");

    private static RuleGroup group(long queryOffsetMs, int limit, Rule... rules) {
        return new RuleGroup("t1", "ns", "g", MINUTE, queryOffsetMs, limit, List.of(rules), List.of(), "t1/ns.yaml", Map.of());
    }

    private static Rule rule(String record, String expr) { return Rule.recording(record, expr, Map.of()); }

    /** Input samples, a group and its memory: evaluates like the per-series and per-rule steps do. */
    private static final class Harness {
        final List<Labels> inputSeries = new ArrayList<>();
        final List<long[]> inputTimes = new ArrayList<>();
        final List<double[]> inputValues = new ArrayList<>();
        GroupMemory memory = new GroupMemory();
        CompiledGroup group;

        Harness(RuleGroup g) { group = CompiledGroup.compile(g, EvaluationDefaults.prometheus()); }

        void change(RuleGroup g) { group = CompiledGroup.compile(g, EvaluationDefaults.prometheus()); }

        /** One sample of {@code series} every 15 s in [from, to), all with value {@code value}. */
        Harness constant(Labels series, long from, long to, double value) {
            return samples(series, from, to, (ts) -> value);
        }

        Harness samples(Labels series, long from, long to, java.util.function.LongToDoubleFunction value) {
            List<Long> ts = new ArrayList<>();
            for (long t = from; t < to; t += 15_000) ts.add(t);
            long[] times = new long[ts.size()];
            double[] values = new double[ts.size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = ts.get(i);
                values[i] = value.applyAsDouble(times[i]);
            }
            inputSeries.add(series);
            inputTimes.add(times);
            inputValues.add(values);
            return this;
        }

        GroupEvaluator.Result evaluate(long t) {
            SeriesStore[] shards = {new SeriesStore(), new SeriesStore()};
            for (int s = 0; s < inputSeries.size(); s++) {
                for (int i = 0; i < inputTimes.get(s).length; i++) {
                    shards[inputSeries.get(s).hashCode() & 1].append(inputSeries.get(s), inputTimes.get(s)[i], inputValues.get(s)[i]);
                }
            }
            PendingEvaluation pending = new PendingEvaluation(group.version(), group.ruleCount());
            for (SeriesStore shard : shards) pending.add(group.version(), ShardEvaluation.evaluate(group, shard, t));
            LeafValues[] merged = pending.mergedFor(group);
            assertNotNull(merged);
            return GroupEvaluator.evaluate(group, merged, t, memory);
        }

        /** Round trip of the memory through its binary form, as a checkpoint and restore does. */
        void restore() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            memory.writeTo(new DataOutputStream(bytes));
            memory = GroupMemory.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        }
    }

    private static List<String> lines(RecordedSamples s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.series(i) + " " + (StaleMarker.is(s.value(i)) ? "stale" : String.valueOf(s.value(i))) + " @" + (s.timestampMs(i) - T0));
        }
        return out;
    }

    private static List<String> errors(GroupEvaluator.Result r) {
        return r.errors().stream().map(RuleError::message).toList();
    }

    /** The last rule reads input series (from the shards) and recorded ones (from the group) in one selector. */
    @Test
    void laterRuleSeesAnEarlierRulesOutputOfTheSameTimestamp() {
        Harness h = new Harness(group(-1, 0,
                rule("job:up:sum", "sum by (job) (up)"),
                rule("up:total", "sum(job:up:sum)"),
                rule("series", "count({__name__=~\"up|job:up:sum\"})")))
                .constant(UP_A, T0 - 30_000, T0 + 1, 1).constant(UP_A2, T0 - 30_000, T0 + 1, 1).constant(UP_B, T0 - 30_000, T0 + 1, 1);
        GroupEvaluator.Result r = h.evaluate(T0);
        assertEquals(List.of(
                "job:up:sum{job=\"a\"} 2.0 @0",
                "job:up:sum{job=\"b\"} 1.0 @0",
                "up:total{} 3.0 @0",
                "series{} 5.0 @0"), lines(r.samples()));
        assertTrue(r.errors().isEmpty(), errors(r).toString());
    }

    @Test
    void laterRuleSeesTheHistoryOfAnEarlierRulesOutputAcrossARestore() throws IOException {
        // a counter growing by 1/s, recorded as is; the second rule takes the rate of the recording
        Labels counter = Labels.of("__name__", "requests_total", "job", "a");
        Harness h = new Harness(group(-1, 0,
                rule("job:requests:copy", "sum by (job) (requests_total)"),
                rule("job:requests:rate5m", "rate(job:requests:copy[5m])")))
                .samples(counter, T0 - 10 * MINUTE, T0 + 10 * MINUTE, ts -> (ts - (T0 - 10 * MINUTE)) / 1000.0);
        List<String> last = null;
        for (int k = 0; k <= 5; k++) {
            if (k == 3) h.restore();
            last = lines(h.evaluate(T0 + k * MINUTE).samples());
        }
        // at T0+5m the recording has samples at T0+1m..T0+5m in (T0, T0+5m]: 240 over 4 minutes,
        // extrapolated to the 5m range
        assertEquals(List.of("job:requests:copy{job=\"a\"} 900.0 @300000", "job:requests:rate5m{job=\"a\"} 1.0 @300000"), last);
    }

    @Test
    void ownHistoryIsKeptOnlyForRecordsTheGroupReadsAndOnlyWithinItsRetention() {
        Harness reads = new Harness(group(-1, 0, rule("a:copy", "up"), rule("a:max", "max_over_time(a:copy[2m])")))
                .constant(UP_A, T0 - MINUTE, T0 + 30 * MINUTE, 1);
        Harness readsNothing = new Harness(group(-1, 0, rule("b:copy", "up"), rule("b:sum", "sum(up)")))
                .constant(UP_A, T0 - MINUTE, T0 + 30 * MINUTE, 1);
        for (int k = 0; k < 20; k++) {
            reads.evaluate(T0 + k * MINUTE);
            readsNothing.evaluate(T0 + k * MINUTE);
        }
        assertEquals(1, reads.memory.recorded().seriesCount(), "a:max is not read by any rule");
        // retention: the 5m lookback of the instant selector `up`, the longest of the group
        assertTrue(reads.memory.recorded().sampleCount() <= 5, "samples kept: " + reads.memory.recorded().sampleCount());
        assertEquals(0, readsNothing.memory.recorded().seriesCount());
    }

    @Test
    void outputIsStampedWithTheQueryTimestampWhenThereIsAQueryOffset() {
        Harness h = new Harness(group(MINUTE, 0, rule("up:copy", "up")))
                .constant(UP_A, T0 - 2 * MINUTE, T0 - MINUTE + 1, 1)   // last sample at T0 - 1m
                .constant(UP_B, T0 - 30_000, T0 + 1, 1);               // only after the query timestamp T0 - 1m
        assertEquals(List.of("up:copy{instance=\"1\", job=\"a\"} 1.0 @-60000"), lines(h.evaluate(T0).samples()));
        // up{job="a"} is gone 5m after its last sample: the staleness marker has the query timestamp too
        GroupEvaluator.Result later = h.evaluate(T0 + 5 * MINUTE);
        assertEquals(List.of("up:copy{instance=\"3\", job=\"b\"} 1.0 @240000", "up:copy{instance=\"1\", job=\"a\"} stale @240000"),
                lines(later.samples()));
    }

    @Test
    void aFailedRuleWritesNoStalenessMarkersAndKeepsItsPreviousOutput() {
        Harness h = new Harness(group(-1, 1, rule("up:copy", "up")))
                .constant(UP_A, T0 - 30_000, T0 + 1, 1)
                .constant(UP_A2, T0 + 5 * MINUTE, T0 + 12 * MINUTE, 1)
                .constant(UP_B, T0 + 5 * MINUTE, T0 + 5 * MINUTE + 1, 1);
        assertEquals(List.of("up:copy{instance=\"1\", job=\"a\"} 1.0 @0"), lines(h.evaluate(T0).samples()));
        // instance 1 has vanished, but two series are over the limit of 1: the rule fails, writes nothing
        // and marks nothing stale
        GroupEvaluator.Result failed = h.evaluate(T0 + 5 * MINUTE);
        assertEquals(List.of(), lines(failed.samples()));
        assertEquals(List.of("exceeded limit of 1 with 2 series"), errors(failed));
        // instance 3 is gone too: the rule succeeds and marks what it produced last time (instance 1) stale
        GroupEvaluator.Result next = h.evaluate(T0 + 11 * MINUTE);
        assertEquals(List.of("up:copy{instance=\"2\", job=\"a\"} 1.0 @660000", "up:copy{instance=\"1\", job=\"a\"} stale @660000"),
                lines(next.samples()));
        assertTrue(next.errors().isEmpty());
    }

    @Test
    void twoRulesWritingTheSameSeriesKeepTheFirstWrite() {
        Harness h = new Harness(group(-1, 0,
                rule("same", "sum(up)"),
                rule("same", "count(up)"),
                rule("same", "sum(up) * 1")))
                .constant(UP_A, T0 - 30_000, T0 + 1, 2).constant(UP_B, T0 - 30_000, T0 + 1, 2);
        GroupEvaluator.Result r = h.evaluate(T0);
        // sum = 4, count = 2 (rejected), sum * 1 = 4 (identical: accepted, not written twice)
        assertEquals(List.of("same{} 4.0 @0"), lines(r.samples()));
        assertEquals(1, r.errors().size());
        assertEquals(1, r.errors().get(0).ruleIndex());
        assertTrue(r.errors().get(0).message().startsWith("1 sample(s) dropped"), r.errors().get(0).message());
    }

    @Test
    void noStalenessMarkerForASeriesAnEarlierRuleWroteAtTheSameTimestamp() {
        Harness h = new Harness(group(-1, 0,
                rule("moving", "sum(up{job=\"b\"})"),
                rule("moving", "sum(up{job=\"a\"})")))
                .constant(UP_A, T0 - 30_000, T0 + 1, 1)
                .constant(UP_B, T0 + 30_000, T0 + MINUTE + 1, 5);
        assertEquals(List.of("moving{} 1.0 @0"), lines(h.evaluate(T0).samples()));
        // rule 1 now writes moving{}; rule 2's value is rejected, and its staleness marker for the series
        // it wrote last time too
        GroupEvaluator.Result r = h.evaluate(T0 + MINUTE);
        assertEquals(List.of("moving{} 5.0 @60000"), lines(r.samples()));
        assertEquals(List.of(1), r.errors().stream().map(RuleError::ruleIndex).toList());
        // both inputs gone: only rule 1, which wrote it last, marks it stale
        assertEquals(List.of("moving{} stale @360000"), lines(h.evaluate(T0 + 6 * MINUTE).samples()));
    }

    @Test
    void aChangedGroupHandsTheLastOutputToRulesWithTheSameNameAndLabelsAndMarksRemovedRulesStale() {
        Harness h = new Harness(group(-1, 0, rule("job:up:sum", "sum by (job) (up)"), rule("job:up:count", "count by (job) (up)"),
                rule("up:copy", "up")))
                .constant(UP_A, T0 - 30_000, T0 + 10 * MINUTE, 1).constant(UP_B, T0 - 30_000, T0 + 10 * MINUTE, 1);
        h.evaluate(T0);
        // new version: job:up:sum only for job a (its expression changed), job:up:count removed,
        // up:copy renamed to up:copy2
        h.change(group(-1, 0, rule("job:up:sum", "sum by (job) (up{job=\"a\"})"), rule("up:copy2", "up")));
        GroupEvaluator.Result r = h.evaluate(T0 + MINUTE);
        assertEquals(List.of(
                "job:up:sum{job=\"a\"} 1.0 @60000",
                "job:up:sum{job=\"b\"} stale @60000",
                "up:copy2{instance=\"1\", job=\"a\"} 1.0 @60000",
                "up:copy2{instance=\"3\", job=\"b\"} 1.0 @60000",
                "job:up:count{job=\"a\"} stale @60000",
                "job:up:count{job=\"b\"} stale @60000",
                "up:copy{instance=\"1\", job=\"a\"} stale @60000",
                "up:copy{instance=\"3\", job=\"b\"} stale @60000"), lines(r.samples()));
        // the removed rules' series are marked once
        assertEquals(List.of(
                "job:up:sum{job=\"a\"} 1.0 @120000",
                "up:copy2{instance=\"1\", job=\"a\"} 1.0 @120000",
                "up:copy2{instance=\"3\", job=\"b\"} 1.0 @120000"), lines(h.evaluate(T0 + 2 * MINUTE).samples()));
    }

    @Test
    void aRuleMovedWithinTheGroupKeepsItsLastOutput() {
        Rule copy = rule("up:copy", "up");
        Harness h = new Harness(group(-1, 0, rule("other", "vector(1)"), copy))
                .constant(UP_A, T0 - 30_000, T0 + 1, 1).constant(UP_B, T0 - 30_000, T0 + 10 * MINUTE, 1);
        h.evaluate(T0);
        h.change(group(-1, 0, copy, rule("other", "vector(1)")));
        // instance 1 vanished: marked by the moved rule, which took over its last output
        GroupEvaluator.Result r = h.evaluate(T0 + 6 * MINUTE);
        assertEquals(List.of("up:copy{instance=\"3\", job=\"b\"} 1.0 @360000", "up:copy{instance=\"1\", job=\"a\"} stale @360000",
                "other{} 1.0 @360000"), lines(r.samples()));
    }

    @Test
    void aDeletedGroupMarksItsLastOutputStaleAtTheNextQueryTimestamp() {
        Harness h = new Harness(group(30_000, 0, rule("job:up:sum", "sum by (job) (up)")))
                .constant(UP_A, T0 - MINUTE, T0 + 1, 1).constant(UP_B, T0 - MINUTE, T0 + 1, 1);
        assertEquals(List.of(), lines(GroupEvaluator.staleMarkersOfDeletedGroup(h.group, h.memory)), "never evaluated");
        h.evaluate(T0);
        assertEquals(List.of("job:up:sum{job=\"a\"} stale @30000", "job:up:sum{job=\"b\"} stale @30000"),
                lines(GroupEvaluator.staleMarkersOfDeletedGroup(h.group, h.memory)));
    }

    @Test
    void partialsOfAnotherGroupVersionAreNotMerged() {
        CompiledGroup v1 = CompiledGroup.compile(group(-1, 0, rule("a", "sum(up)")), EvaluationDefaults.prometheus());
        CompiledGroup v2 = CompiledGroup.compile(group(-1, 0, rule("a", "sum(up)"), rule("b", "count(up)")), EvaluationDefaults.prometheus());
        SeriesStore shard = new SeriesStore();
        shard.append(UP_A, T0 - 1000, 1);

        PendingEvaluation mixed = new PendingEvaluation(v1.version(), v1.ruleCount());
        mixed.add(v1.version(), ShardEvaluation.evaluate(v1, shard, T0));
        mixed.add(v2.version(), ShardEvaluation.evaluate(v2, shard, T0));
        assertNull(mixed.mergedFor(v1));
        assertNull(mixed.mergedFor(v2));

        PendingEvaluation old = new PendingEvaluation(v1.version(), v1.ruleCount());
        old.add(v1.version(), ShardEvaluation.evaluate(v1, shard, T0));
        assertNull(old.mergedFor(v2), "the group changed before the evaluation was due");
        assertNotNull(old.mergedFor(v1));
    }

    @Test
    void pendingEvaluationsSurviveTheirBinaryForm() throws IOException {
        CompiledGroup g = CompiledGroup.compile(group(-1, 0, rule("a", "sum(up)")), EvaluationDefaults.prometheus());
        SeriesStore shard = new SeriesStore();
        shard.append(UP_A, T0 - 1000, 3);
        PendingEvaluation p = new PendingEvaluation(g.version(), g.ruleCount());
        p.add(g.version(), ShardEvaluation.evaluate(g, shard, T0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.writeTo(new DataOutputStream(bytes));
        PendingEvaluation back = PendingEvaluation.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        GroupEvaluator.Result r = GroupEvaluator.evaluate(g, back.mergedFor(g), T0, new GroupMemory());
        assertEquals(List.of("a{} 3.0 @0"), lines(r.samples()));
    }
}
