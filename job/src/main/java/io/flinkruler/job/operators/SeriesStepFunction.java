package io.flinkruler.job.operators;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.SeriesSelection;
import io.flinkruler.evaluation.ShardEvaluation;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.job.state.ShardClock;
import io.flinkruler.job.state.ShardStorage;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.storage.RuleGroupTimeline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-series step, keyed by shard: stores the shard's samples and, when the watermark passes an
 * evaluation timestamp, computes each due group's leaf values over the shard's series and sends
 * them on to the group's per-rule step. One event-time timer per shard and evaluation timestamp. Where the
 * samples are kept depends on the state backend ({@link ShardStorage}).
 */
public final class SeriesStepFunction extends KeyedBroadcastProcessFunction<String, ShardBatch, RuleGroupChange, PartialEvaluation> {
    private static final long serialVersionUID = 1L;

    private final EvaluationDefaults defaults;
    /** A backfill's evaluation window, or null: every evaluation timestamp. */
    private final PipelineSettings.Backfill window;
    private transient ShardStorage storage;
    private transient RuleBroadcast rules;
    private transient Counter samplesIn;
    private transient Counter samplesLate;
    private transient Map<String, Counter> samplesLateByTenant;
    private transient Counter evaluations;
    private transient Counter samplesUnselected;
    private transient TenantSelections selections;
    /** Per shard, the selection its stored series were last checked against. */
    private transient Map<String, SeriesSelection> prunedWith;
    private transient Progress progress;

    public SeriesStepFunction(EvaluationDefaults defaults) { this(defaults, null); }

    public SeriesStepFunction(EvaluationDefaults defaults, PipelineSettings.Backfill window) {
        this.defaults = defaults;
        this.window = window;
    }

    @Override
    public void open(OpenContext ctx) {
        rules = new RuleBroadcast(defaults);
        var metrics = getRuntimeContext().getMetricGroup();
        samplesIn = metrics.counter("samplesIn");
        samplesLate = metrics.counter("samplesDroppedLate");
        samplesLateByTenant = new HashMap<>();
        Counter samplesRejected = metrics.counter("samplesDroppedOutOfOrder");
        storage = ShardStorage.open(getRuntimeContext(), samplesRejected);
        evaluations = metrics.counter("shardEvaluations");
        samplesUnselected = metrics.counter("samplesUnselected");
        selections = new TenantSelections(rules);
        prunedWith = new HashMap<>();
        progress = new Progress("series-step " + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public void processElement(ShardBatch batch, ReadOnlyContext ctx, Collector<PartialEvaluation> out) throws Exception {
        int n = batch.size();
        samplesIn.inc(n);
        progress.samples(n);
        ShardBatch onTime = withoutLate(batch, lateBound(batch, ctx), ctx.getCurrentKey());
        if (ctx.currentWatermark() != Long.MIN_VALUE) {
            // Past the minimum watermark the rules are known (the rule input held event time back until its first
            // load was through), so series no rule can read need not be stored. Before, everything is kept and the
            // first evaluation drops what no rule selects.
            int before = onTime.size();
            onTime = TenantSelections.selectedOnly(onTime, selections.of(tenantOf(ctx.getCurrentKey()), ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)));
            samplesUnselected.inc(before - onTime.size());
        }
        if (onTime.size() == 0) return;
        ShardClock clock = storage.load();
        if (clock == null) clock = storage.create();
        long watermark = ctx.currentWatermark();
        long earliest = storage.add(onTime, watermark);
        if (!clock.evaluated()) {
            // Until the shard's first timer fires, its timer is a wake-up at its earliest sample, not an
            // evaluation timestamp (see ShardClock.wakeUp). Files come series by series, so an earlier sample may
            // come after a later one: the wake-up moves back to it (the later timer is then ignored).
            long wakeUp = ShardClock.wakeUp(earliest, watermark);
            if (wakeUp < clock.nextTimerMs) {
                clock.nextTimerMs = wakeUp;
                ctx.timerService().registerEventTimeTimer(wakeUp);
            }
        }
        storage.saveClock();
    }

    /** The batch without its samples at or before {@code lateBound} (counted); the batch itself if none is. */
    private ShardBatch withoutLate(ShardBatch batch, long lateBound, String shardKey) {
        if (lateBound == Long.MIN_VALUE) return batch;
        int n = batch.size();
        long[] ts = batch.timestampsMs();
        boolean[] onTime = new boolean[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            onTime[i] = ts[i] > lateBound;
            if (onTime[i]) kept++;
        }
        if (kept < n) {
            samplesLate.inc(n - kept);
            lateCounter(tenantOf(shardKey)).inc(n - kept);
        }
        return batch.only(onTime, kept);
    }

    /**
     * Samples at or before the returned time are late: an evaluation that already ran (its timestamp is at or
     * before the watermark) queried at or after them, so later evaluations must not see them either. A group's
     * query_offset moves its bound back, which lets samples be that much later than the watermark.
     */
    private long lateBound(ShardBatch batch, ReadOnlyContext ctx) throws Exception {
        long watermark = ctx.currentWatermark();
        long minTs = Long.MAX_VALUE;
        for (int i = 0; i < batch.size(); i++) minTs = Math.min(minTs, batch.timestampsMs()[i]);
        if (minTs > watermark) return Long.MIN_VALUE; // the usual case: spares looking at the rules
        // the versions in force at the watermark are the ones whose evaluations ran last
        return lateBound(rules.groupsOf(tenantOf(ctx.getCurrentKey()), watermark, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)), watermark);
    }

    /** The latest query time of any group's evaluation at or before {@code watermark}; MIN_VALUE if none ran. */
    static long lateBound(List<CompiledGroup> groups, long watermark) {
        if (watermark == Long.MIN_VALUE) return Long.MIN_VALUE;
        long bound = Long.MIN_VALUE;
        for (CompiledGroup g : groups) {
            long lastEvaluation = watermark - Math.floorMod(watermark, g.intervalMs());
            bound = Math.max(bound, g.queryTimestamp(lastEvaluation));
        }
        return bound;
    }

    private Counter lateCounter(String tenant) {
        return samplesLateByTenant.computeIfAbsent(tenant,
                t -> getRuntimeContext().getMetricGroup().addGroup("tenant", t).counter("samplesDroppedLate"));
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<PartialEvaluation> out) throws Exception {
        ShardClock clock = storage.load();
        if (clock == null || t != clock.nextTimerMs) return;
        SeriesStore store = storage.samples();
        if (!clock.evaluated() && clock.wakeUpMs != t) {
            // a storage that rejects out-of-order samples only now woke up early: the samples it kept call for later
            clock.nextTimerMs = clock.wakeUpMs;
            if (clock.nextTimerMs != Long.MAX_VALUE) ctx.timerService().registerEventTimeTimer(clock.nextTimerMs);
            storage.save();
            return;
        }
        String tenant = tenantOf(ctx.getCurrentKey());
        ReadOnlyBroadcastState<String, RuleGroupTimeline> broadcast = ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR);
        // the versions in force at t are evaluated; every version, also ones that apply later, keeps samples and timers
        List<CompiledGroup> allVersions = rules.allVersionsOf(tenant, broadcast);
        long retention = defaults.lookbackDeltaMs();
        for (CompiledGroup g : allVersions) retention = Math.max(retention, g.retentionMs());
        for (CompiledGroup g : rules.groupsOf(tenant, t, broadcast)) {
            if (!g.evaluatesAt(t) || t <= clock.lastEvaluatedMs) continue;
            if (window != null && !window.evaluates(t)) continue;
            out.collect(new PartialEvaluation(g.key(), g.version(), t, ShardEvaluation.evaluate(g, store, t)));
            evaluations.inc();
            progress.evaluation();
        }
        // the shard's event-time clock: samples at or before it are late, whether or not a group was due
        clock.lastEvaluatedMs = t;
        // samples at or before t - retention can matter to no later evaluation
        store.evictBefore(t - retention + 1);
        // series stored before the rules were known, or that changed rules no longer read
        SeriesSelection selection = selections.of(tenant, broadcast);
        if (prunedWith.get(ctx.getCurrentKey()) != selection) {
            store.retainSeries(selection::selects);
            prunedWith.put(ctx.getCurrentKey(), selection);
        }
        if (store.seriesCount() == 0 || (window != null && t >= window.toMs())) {
            storage.clear();
            return;
        }
        clock.nextTimerMs = nextEvaluation(allVersions, window != null ? Math.max(t + 1, window.fromMs()) : t + 1);
        ctx.timerService().registerEventTimeTimer(clock.nextTimerMs);
        storage.save();
    }

    @Override
    public void processBroadcastElement(RuleGroupChange change, Context ctx, Collector<PartialEvaluation> out) throws Exception {
        rules.apply(change, ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR), ctx.currentWatermark());
        selections.rulesChanged();
    }

    /** The earliest evaluation timestamp at or after {@code ts} of any of the groups (the default interval if none). */
    private long nextEvaluation(List<CompiledGroup> groups, long ts) {
        long next = Long.MAX_VALUE;
        for (CompiledGroup g : groups) next = Math.min(next, g.nextEvaluationAtOrAfter(ts));
        if (next == Long.MAX_VALUE) {
            long interval = defaults.evaluationIntervalMs();
            long r = Math.floorMod(ts, interval);
            next = r == 0 ? ts : ts - r + interval;
        }
        return next;
    }

    static String tenantOf(String shardKey) { return shardKey.substring(0, shardKey.lastIndexOf('#')); }
}
