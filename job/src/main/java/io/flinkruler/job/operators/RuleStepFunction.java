package io.flinkruler.job.operators;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.GroupEvaluator;
import io.flinkruler.evaluation.GroupMemory;
import io.flinkruler.evaluation.PendingEvaluation;
import io.flinkruler.evaluation.RecordedSamples;
import io.flinkruler.evaluation.RuleError;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.state.GroupState;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
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
    private final ResultRouting routing;
    private transient ValueStateDescriptor<GroupState> stateDescriptor;
    private transient ValueState<GroupState> state;
    private transient RuleBroadcast rules;
    private transient Counter ruleEvaluations;
    private transient Counter ruleFailures;
    private transient Counter evaluationsSkipped;
    private transient Counter samplesOut;
    private transient Progress progress;

    public RuleStepFunction(EvaluationDefaults defaults, RemoteWriteConfig tenantRemoteWrite) {
        this(defaults, ResultRouting.toEndpoints(tenantRemoteWrite));
    }

    public RuleStepFunction(EvaluationDefaults defaults, ResultRouting routing) {
        this.defaults = defaults;
        this.routing = routing;
    }

    @Override
    public void open(OpenContext ctx) {
        stateDescriptor = new ValueStateDescriptor<>("group", GroupState.typeInfo());
        state = getRuntimeContext().getState(stateDescriptor);
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
        // The group is not looked up here: a partial may overtake the broadcast of its group on the
        // other input. When the timer fires, the watermark has passed the rule source's, so it is there.
        GroupState s = state.value();
        if (s == null) s = new GroupState();
        s.pending.computeIfAbsent(partial.evalTimestampMs(), t -> new PendingEvaluation(partial.groupVersion(), partial.leafValuesPerRule().length))
                .add(partial.groupVersion(), partial.leafValuesPerRule());
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
        PendingEvaluation pending = s.pending.remove(t);
        if (pending == null) {
            if (s.isEmpty()) state.clear();
            return;
        }
        LeafValues[] merged = pending.mergedFor(group);
        if (merged == null) {
            state.update(s);
            evaluationsSkipped.inc();
            LOG.warn("evaluation of rule group {} at {} skipped: its rules changed while the shards evaluated it", group.key(), t);
            return;
        }
        GroupEvaluator.Result result = GroupEvaluator.evaluate(group, merged, t, s.memory);
        state.update(s);
        // a timer at the next evaluation even if no shard sends anything then: a deletion in force then ends the group
        ctx.timerService().registerEventTimeTimer(group.nextEvaluationAtOrAfter(t + 1));
        ruleEvaluations.inc(group.ruleCount());
        progress.evaluation();
        for (RuleError e : result.errors()) {
            ruleFailures.inc();
            LOG.warn("rule evaluation failed: {}", e);
        }
        emit(group.group(), result.samples(), out);
    }

    private void emit(RuleGroup group, RecordedSamples samples, Collector<WriteBatch> out) {
        if (samples.size() == 0) return;
        List<RemoteWriteConfig> targets = routing.targets(group);
        if (!routing.delivers(targets)) return;
        samplesOut.inc(samples.size());
        progress.output(samples.size());
        out.collect(new WriteBatch(group.tenant(), targets, samples.seriesArray(), samples.timestampArray(), samples.valueArray()));
    }

    /**
     * The group is deleted as of {@code t} (a deletion applies from an evaluation timestamp, like every rule
     * change): staleness markers for everything it recorded last, then its state goes, except evaluations of a
     * later re-added version that are already pending.
     */
    private void endDeletedGroup(GroupState s, long t, OnTimerContext ctx, Collector<WriteBatch> out) throws Exception {
        CompiledGroup deleted = rules.deletedGroup(ctx.getCurrentKey(), t, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR));
        if (deleted != null) emit(deleted.group(), GroupEvaluator.staleMarkersOfDeletedGroup(deleted, s.memory), out);
        s.pending.headMap(t, true).clear();
        if (s.pending.isEmpty()) {
            state.clear();
        } else {
            s.memory = new GroupMemory();
            state.update(s);
        }
    }

    @Override
    public void processBroadcastElement(RuleGroupChange change, Context ctx, Collector<WriteBatch> out) throws Exception {
        long from = rules.apply(change, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR), ctx.currentWatermark());
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            RuleGroup g = change.group();
            String when = from == Long.MIN_VALUE ? "" : " from evaluation timestamp " + java.time.Instant.ofEpochMilli(from);
            if (g == null) LOG.info("rule group deleted: {}{}", change.groupKey(), when);
            else LOG.info("rule group {}: {} ({} rules) -> {}{}", change.kind().name().toLowerCase(), change.groupKey(),
                    g.rules().size(), routing.describe(g), when);
        }
    }

}
