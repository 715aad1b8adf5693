package io.flinkruler.job.operators;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.GroupEvaluator;
import io.flinkruler.evaluation.RecordedSamples;
import io.flinkruler.evaluation.RuleError;
import io.flinkruler.evaluation.ShardEvaluation;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.state.GroupState;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-rule step, keyed by rule group: merges the shards' partial results of an evaluation
 * timestamp and, once the watermark has passed it (every shard has reported), evaluates the group's
 * rules in order and emits the recorded samples for its remote-write endpoints.
 */
public final class RuleStepFunction extends KeyedBroadcastProcessFunction<String, PartialEvaluation, RuleGroupChange, WriteBatch> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleStepFunction.class);

    private final EvaluationDefaults defaults;
    /** Where groups without their own remote_write go; null = nowhere (they are only evaluated). */
    private final RemoteWriteConfig tenantRemoteWrite;
    private transient ValueState<GroupState> state;
    private transient RuleBroadcast rules;
    private transient Counter ruleEvaluations;
    private transient Counter ruleFailures;
    private transient Counter evaluationsSkipped;
    private transient Counter samplesOut;
    private transient Progress progress;

    public RuleStepFunction(EvaluationDefaults defaults, RemoteWriteConfig tenantRemoteWrite) {
        this.defaults = defaults;
        this.tenantRemoteWrite = tenantRemoteWrite;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("group", GroupState.typeInfo()));
        rules = new RuleBroadcast(defaults);
        var metrics = getRuntimeContext().getMetricGroup();
        ruleEvaluations = metrics.counter("ruleEvaluations");
        ruleFailures = metrics.counter("ruleEvaluationFailures");
        evaluationsSkipped = metrics.counter("groupEvaluationsSkipped");
        samplesOut = metrics.counter("recordedSamples");
        progress = new Progress("rule-step " + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public void processElement(PartialEvaluation partial, ReadOnlyContext ctx, Collector<WriteBatch> out) throws Exception {
        CompiledGroup group = rules.group(partial.groupKey(), partial.evalTimestampMs(), ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR));
        if (group == null) return; // deleted meanwhile
        GroupState s = state.value();
        if (s == null) s = new GroupState();
        LeafValues[] merged = s.pending.computeIfAbsent(partial.evalTimestampMs(), t -> new LeafValues[group.ruleCount()]);
        if (partial.groupVersion() != group.version()) {
            // A shard that learned of a change only after evaluating this timestamp sent another version's leaves:
            // the evaluation cannot be completed; an empty array marks it for onTimer to skip.
            merged = new LeafValues[0];
            s.pending.put(partial.evalTimestampMs(), merged);
        }
        byte[][] perRule = partial.leafValuesPerRule();
        for (int i = 0; i < Math.min(perRule.length, merged.length); i++) merged[i] = ShardEvaluation.mergeSerialized(merged[i], perRule[i]);
        state.update(s);
        ctx.timerService().registerEventTimeTimer(partial.evalTimestampMs());
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<WriteBatch> out) throws Exception {
        GroupState s = state.value();
        if (s == null) return;
        CompiledGroup group = rules.group(ctx.getCurrentKey(), t, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR));
        if (group == null) {
            endDeletedGroup(s, t, ctx, out);
            return;
        }
        LeafValues[] merged = s.pending.remove(t);
        if (merged == null) return;
        if (merged.length != group.ruleCount()) {
            state.update(s);
            evaluationsSkipped.inc();
            LOG.warn("evaluation of rule group {} at {} skipped: shards evaluated different versions of it", group.key(), t);
            return;
        }
        GroupEvaluator.Result result = GroupEvaluator.evaluate(group, merged, t, s.memory);
        state.update(s);
        // a timer at the next evaluation even if no shard sends anything then: a deletion in force then must end the group
        ctx.timerService().registerEventTimeTimer(group.nextEvaluationAtOrAfter(t + 1));
        ruleEvaluations.inc(group.ruleCount());
        progress.evaluation();
        for (RuleError e : result.errors()) {
            ruleFailures.inc();
            LOG.warn("rule evaluation failed: {}", e);
        }
        emit(group.group(), result.samples(), out);
    }

    /**
     * The group is deleted as of {@code t}: staleness markers at {@code t} for every series it recorded last
     * (as Prometheus writes them for a removed group), then its state goes.
     */
    private void endDeletedGroup(GroupState s, long t, OnTimerContext ctx, Collector<WriteBatch> out) throws Exception {
        CompiledGroup deleted = rules.deletedGroup(ctx.getCurrentKey(), t, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR));
        if (deleted != null) {
            RecordedSamples markers = new RecordedSamples();
            long ts = deleted.queryTimestamp(t);
            for (int r = 0; r < s.memory.ruleCount(); r++) {
                List<Labels> series = new ArrayList<>(s.memory.lastOutput(r));
                series.sort(null);
                for (Labels l : series) markers.add(l, ts, StaleMarker.VALUE);
            }
            emit(deleted.group(), markers, out);
        }
        s.pending.headMap(t, true).clear();
        if (s.pending.isEmpty()) {
            state.clear();
        } else { // evaluations of a later re-added version are already pending
            for (int r = 0; r < s.memory.ruleCount(); r++) s.memory.setLastOutput(r, new HashSet<>());
            state.update(s);
        }
    }

    private void emit(RuleGroup group, RecordedSamples samples, Collector<WriteBatch> out) {
        if (samples.size() == 0) return;
        List<RemoteWriteConfig> targets = targets(group);
        if (targets.isEmpty()) return;
        samplesOut.inc(samples.size());
        progress.output(samples.size());
        out.collect(new WriteBatch(group.tenant(), targets, samples.seriesArray(), samples.timestampArray(), samples.valueArray()));
    }

    @Override
    public void processBroadcastElement(RuleGroupChange change, Context ctx, Collector<WriteBatch> out) throws Exception {
        long from = rules.apply(change, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR), ctx.currentWatermark());
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            RuleGroup g = change.group();
            String when = from == Long.MIN_VALUE ? "" : " from evaluation timestamp " + java.time.Instant.ofEpochMilli(from);
            if (g == null) LOG.info("rule group deleted: {}{}", change.groupKey(), when);
            else LOG.info("rule group {}: {} ({} rules) -> {}{}", change.kind().name().toLowerCase(), change.groupKey(),
                    g.rules().size(), targets(g).stream().map(RemoteWriteConfig::displayName).toList(), when);
        }
    }

    /** The group's own endpoints, else the tenant's endpoint with the tenant header (as GEM stores them in the tenant). */
    private List<RemoteWriteConfig> targets(RuleGroup group) {
        if (!group.remoteWrite().isEmpty()) return group.remoteWrite();
        if (tenantRemoteWrite == null) return List.of();
        return List.of(tenantRemoteWrite.withHeader("X-Scope-OrgID", group.tenant()));
    }

}
