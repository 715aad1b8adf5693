package io.flinkruler.job.operators;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.storage.RuleGroupTimeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The broadcast rule groups (group key -> its versions over evaluation time) and a per-task cache of their
 * compiled form, shared by the per-series and the per-rule step: both see every change, and both pick the
 * version in force at an evaluation timestamp the same way, so a change switches at one timestamp everywhere.
 */
public final class RuleBroadcast {
    public static final MapStateDescriptor<String, RuleGroupTimeline> DESCRIPTOR =
            new MapStateDescriptor<>("rule-group-timelines", Types.STRING, RuleGroupTimeline.typeInfo());
    /** How long after a deletion the deleted group is kept for its staleness markers, in its intervals. */
    static final int TOMBSTONE_INTERVALS = 10;

    private final EvaluationDefaults defaults;
    /** group key -> compiled versions, newest last (a timeline rarely has more than two live versions). */
    private final Map<String, List<CompiledGroup>> compiled = new HashMap<>();

    RuleBroadcast(EvaluationDefaults defaults) { this.defaults = defaults; }

    /**
     * Adds a change to its group's timeline, from the evaluation timestamp {@link RuleGroupTimeline#effectiveFrom}
     * decides, and drops what no evaluation after {@code watermarkMs} needs. Returns that timestamp.
     */
    long apply(RuleGroupChange change, BroadcastState<String, RuleGroupTimeline> state, long watermarkMs) throws Exception {
        RuleGroupTimeline timeline = state.get(change.groupKey());
        if (timeline == null) timeline = RuleGroupTimeline.EMPTY;
        RuleGroupTimeline.Version latest = timeline.latest();
        long from;
        if (change.kind() == RuleGroupChange.Kind.DELETED) {
            if (latest == null || latest.deleted()) return Long.MIN_VALUE; // nothing to delete here
            from = RuleGroupTimeline.effectiveFrom(change, intervalOf(latest.group()));
            timeline = timeline.with(new RuleGroupTimeline.Version(from, latest.group(), true));
        } else {
            from = RuleGroupTimeline.effectiveFrom(change, intervalOf(change.group()));
            timeline = timeline.with(new RuleGroupTimeline.Version(from, change.group(), false));
        }
        state.put(change.groupKey(), timeline);
        prune(state, watermarkMs);
        return from;
    }

    private void prune(BroadcastState<String, RuleGroupTimeline> state, long watermarkMs) throws Exception {
        for (Iterator<Map.Entry<String, RuleGroupTimeline>> it = state.iterator(); it.hasNext(); ) {
            Map.Entry<String, RuleGroupTimeline> e = it.next();
            RuleGroupTimeline.Version latest = e.getValue().latest();
            long grace = TOMBSTONE_INTERVALS * (latest == null ? defaults.evaluationIntervalMs() : intervalOf(latest.group()));
            RuleGroupTimeline pruned = e.getValue().prunedAt(watermarkMs, grace);
            if (pruned == null) {
                it.remove();
                compiled.remove(e.getKey());
            } else if (!pruned.equals(e.getValue())) {
                e.setValue(pruned);
            }
        }
    }

    private long intervalOf(RuleGroup group) {
        return group.intervalMs() > 0 ? group.intervalMs() : defaults.evaluationIntervalMs();
    }

    /** The compiled version of a group in force at evaluation timestamp {@code t}, or null (unknown, deleted). */
    CompiledGroup group(String key, long t, ReadOnlyBroadcastState<String, RuleGroupTimeline> state) throws Exception {
        RuleGroupTimeline timeline = state.get(key);
        return timeline == null ? null : compiled(key, timeline.at(t));
    }

    /** The group a deletion in force at {@code t} removed (for its staleness markers), or null. */
    CompiledGroup deletedGroup(String key, long t, ReadOnlyBroadcastState<String, RuleGroupTimeline> state) throws Exception {
        RuleGroupTimeline timeline = state.get(key);
        return timeline == null ? null : compiled(key, timeline.deletedAt(t));
    }

    /** The groups of one tenant in force at {@code t}, compiled. */
    List<CompiledGroup> groupsOf(String tenant, long t, ReadOnlyBroadcastState<String, RuleGroupTimeline> state) throws Exception {
        List<CompiledGroup> out = new ArrayList<>();
        for (Map.Entry<String, RuleGroupTimeline> e : state.immutableEntries()) {
            RuleGroup g = e.getValue().at(t);
            if (g != null && g.tenant().equals(tenant)) out.add(compiled(e.getKey(), g));
        }
        return out;
    }

    /** Every version of one tenant's groups in force now or later: what sample retention and timers must serve. */
    List<CompiledGroup> allVersionsOf(String tenant, ReadOnlyBroadcastState<String, RuleGroupTimeline> state) throws Exception {
        List<CompiledGroup> out = new ArrayList<>();
        for (Map.Entry<String, RuleGroupTimeline> e : state.immutableEntries()) {
            for (RuleGroup g : e.getValue().liveVersions()) if (g.tenant().equals(tenant)) out.add(compiled(e.getKey(), g));
        }
        return out;
    }

    private CompiledGroup compiled(String key, RuleGroup g) {
        if (g == null) return null;
        List<CompiledGroup> versions = compiled.computeIfAbsent(key, k -> new ArrayList<>(2));
        for (CompiledGroup c : versions) if (c.group() == g) return c;
        for (CompiledGroup c : versions) if (c.version() == g.hashCode() && c.group().equals(g)) return c;
        CompiledGroup c = CompiledGroup.compile(g, defaults);
        if (versions.size() >= 3) versions.remove(0);
        versions.add(c);
        return c;
    }

    EvaluationDefaults defaults() { return defaults; }
}
