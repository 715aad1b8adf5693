package io.flinkruler.job.operators;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.job.records.RuleGroupSerializer;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The broadcast rule groups (group key -> group) and a per-task cache of their compiled form, shared
 * by the per-series and the per-rule step: both see every change in the same order.
 */
public final class RuleBroadcast {
    public static final MapStateDescriptor<String, RuleGroup> DESCRIPTOR =
            new MapStateDescriptor<>("rule-groups", Types.STRING, RuleGroupSerializer.typeInfo());

    private final EvaluationDefaults defaults;
    private final Map<String, CompiledGroup> compiled = new HashMap<>();

    RuleBroadcast(EvaluationDefaults defaults) { this.defaults = defaults; }

    static void apply(RuleGroupChange change, BroadcastState<String, RuleGroup> state) throws Exception {
        if (change.kind() == RuleGroupChange.Kind.DELETED) state.remove(change.groupKey());
        else state.put(change.groupKey(), change.group());
    }

    /** The compiled form of the current version of a group, or null if the group is unknown. */
    CompiledGroup group(String key, ReadOnlyBroadcastState<String, RuleGroup> state) throws Exception {
        RuleGroup g = state.get(key);
        if (g == null) return null;
        CompiledGroup c = compiled.get(key);
        if (c == null || c.version() != g.hashCode() || !c.group().equals(g)) {
            c = CompiledGroup.compile(g, defaults);
            compiled.put(key, c);
        }
        return c;
    }

    /** Every group of one tenant, compiled. */
    List<CompiledGroup> groupsOf(String tenant, ReadOnlyBroadcastState<String, RuleGroup> state) throws Exception {
        List<CompiledGroup> out = new ArrayList<>();
        for (Map.Entry<String, RuleGroup> e : state.immutableEntries()) {
            if (e.getValue().tenant().equals(tenant)) out.add(group(e.getKey(), state));
        }
        return out;
    }

    EvaluationDefaults defaults() { return defaults; }
}
