package io.flinkruler.evaluation;

import io.flinkruler.promql.eval.EvalOptions;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.parser.PromqlParseException;
import io.flinkruler.promql.parser.PromqlParser;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;

/**
 * A rule group ready to evaluate: its effective interval and query offset, and one compiled plan per
 * recording rule (null for alerting rules, which this ruler does not evaluate). Built once per
 * group version and shared by the per-series and the per-rule step.
 */
public final class CompiledGroup {
    private final RuleGroup group;
    private final long intervalMs;
    private final long queryOffsetMs;
    private final EvalPlan[] plans;
    private final long retentionMs;
    private final int version;

    private CompiledGroup(RuleGroup group, long intervalMs, long queryOffsetMs, EvalPlan[] plans, long retentionMs) {
        this.group = group;
        this.intervalMs = intervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.plans = plans;
        this.retentionMs = retentionMs;
        this.version = group.hashCode();
    }

    public static CompiledGroup compile(RuleGroup group, EvaluationDefaults defaults) {
        long interval = group.intervalMs() > 0 ? group.intervalMs() : defaults.evaluationIntervalMs();
        long offset = group.queryOffsetMs() >= 0 ? group.queryOffsetMs() : defaults.queryOffsetMs();
        EvalOptions options = new EvalOptions(defaults.lookbackDeltaMs(), interval);
        EvalPlan[] plans = new EvalPlan[group.rules().size()];
        long retention = defaults.lookbackDeltaMs();
        for (int i = 0; i < plans.length; i++) {
            Rule rule = group.rules().get(i);
            if (rule.record() == null) continue;
            try {
                plans[i] = EvalPlan.compile(PromqlParser.parse(rule.expr()), options);
                retention = Math.max(retention, plans[i].retentionMs());
            } catch (PromqlParseException e) {
                // the rule source validated the file; a rule that still fails is left out, not fatal
                plans[i] = null;
            }
        }
        return new CompiledGroup(group, interval, offset, plans, retention + offset);
    }

    public RuleGroup group() { return group; }
    public String key() { return group.key(); }
    public long intervalMs() { return intervalMs; }
    public long queryOffsetMs() { return queryOffsetMs; }
    public int ruleCount() { return plans.length; }
    /** The plan of rule {@code i}, or null when that rule is not evaluated. */
    public EvalPlan plan(int i) { return plans[i]; }
    /** How long before an evaluation timestamp samples still matter to this group. */
    public long retentionMs() { return retentionMs; }
    /** Content hash of the group version these plans were compiled from. */
    public int version() { return version; }

    /** Evaluation timestamps are the multiples of the interval since the Unix epoch. */
    public boolean evaluatesAt(long timestampMs) { return Math.floorMod(timestampMs, intervalMs) == 0; }

    /** The first evaluation timestamp at or after {@code timestampMs}. */
    public long nextEvaluationAtOrAfter(long timestampMs) {
        long r = Math.floorMod(timestampMs, intervalMs);
        return r == 0 ? timestampMs : timestampMs - r + intervalMs;
    }

    /** The instant a query runs at for the evaluation timestamp {@code t}: shifted back by query_offset. */
    public long queryTimestamp(long t) { return t - queryOffsetMs; }
}
