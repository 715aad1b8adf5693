package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.Selectors;
import io.flinkruler.promql.ast.VectorSelector;
import io.flinkruler.promql.eval.EvalOptions;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.parser.PromqlParseException;
import io.flinkruler.promql.parser.PromqlParser;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Set<String> recordsReadByRules;
    private final List<String> ruleIdentities;
    private final List<List<LabelMatcher>> selectorMatchers;

    private CompiledGroup(RuleGroup group, long intervalMs, long queryOffsetMs, EvalPlan[] plans, long retentionMs) {
        this.group = group;
        this.intervalMs = intervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.plans = plans;
        this.retentionMs = retentionMs;
        this.version = group.hashCode();
        this.recordsReadByRules = recordsReadByRules(group, plans);
        List<String> ids = new ArrayList<>(plans.length);
        for (Rule r : group.rules()) ids.add(identity(r));
        this.ruleIdentities = List.copyOf(ids);
        this.selectorMatchers = selectorMatchers(plans);
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

    /**
     * The instant a query runs at for the evaluation timestamp {@code t}: shifted back by query_offset.
     * As in Prometheus, recorded samples and staleness markers are stamped with this instant too.
     */
    public long queryTimestamp(long t) { return t - queryOffsetMs; }

    /**
     * Whether a selector of some rule of this group can match series named {@code record}: only then
     * does the group keep the history of its own output series of that name.
     */
    public boolean readsOwnRecord(String record) { return recordsReadByRules.contains(record); }

    /** Whether any rule of this group reads the output of a rule of this group. */
    public boolean readsOwnOutput() { return !recordsReadByRules.isEmpty(); }

    /**
     * The identity of rule {@code i} across versions of the group: its name and labels, as Prometheus
     * matches the rules of an old and a new version of a group (the expression may change).
     */
    public String ruleIdentity(int i) { return ruleIdentities.get(i); }

    public List<String> ruleIdentities() { return ruleIdentities; }

    static String identity(Rule rule) {
        Labels.Builder b = new Labels.Builder();
        for (Map.Entry<String, String> l : rule.labels().entrySet()) b.set(l.getKey(), l.getValue());
        return rule.name() + b.build();
    }

    /**
     * The matchers of every selector of every evaluated rule (inside subqueries, functions, operators
     * and aggregations too), identical lists once: what {@link SeriesSelection} is built from.
     */
    public List<List<LabelMatcher>> selectorMatchers() { return selectorMatchers; }

    private static List<List<LabelMatcher>> selectorMatchers(EvalPlan[] plans) {
        Set<List<LabelMatcher>> distinct = new LinkedHashSet<>();
        for (EvalPlan p : plans) {
            if (p == null) continue;
            for (VectorSelector vs : Selectors.of(p.expr())) distinct.add(vs.matchers());
        }
        return List.copyOf(distinct);
    }

    private static Set<String> recordsReadByRules(RuleGroup group, EvalPlan[] plans) {
        Set<String> records = new HashSet<>();
        for (Rule r : group.rules()) if (r.isRecording()) records.add(r.record());
        List<VectorSelector> selectors = new ArrayList<>();
        for (EvalPlan p : plans) if (p != null) selectors.addAll(Selectors.of(p.expr()));
        Set<String> read = new HashSet<>();
        for (String record : records) {
            for (VectorSelector vs : selectors) {
                if (nameMatchersAccept(vs, record)) {
                    read.add(record);
                    break;
                }
            }
        }
        return Set.copyOf(read);
    }

    private static boolean nameMatchersAccept(VectorSelector vs, String name) {
        for (LabelMatcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME) && !m.matches(name)) return false;
        }
        return true;
    }

}
